import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { issueToken } from '../../src/admin/operations.js'
import { validateAgainstSchema } from '../helpers/xml.js'
import {
  bearer,
  seedWorld,
  startTestServer,
  type TestServer,
  type World,
} from '../helpers/test-server.js'

const PATH = '/v1/account/verifyCredentials'

describe('GET /v1/account/verifyCredentials', () => {
  let server: TestServer
  let world: World

  before(async () => {
    server = await startTestServer()
    world = await seedWorld(server.store)
  })
  after(() => server.close())

  const tokenWith = async (userId: number, scopes: string[]) =>
    (
      await issueToken(server.store, {
        userId,
        clientId: world.client.client_id,
        scopes,
        ttlSeconds: 60,
      })
    ).access_token

  it('returns only the UserID without account_information', async () => {
    const response = await fetch(server.url + PATH, { headers: bearer(world.performer.token) })
    assert.equal(response.status, 200)
    assert.equal(await response.text(), `{"UserID":${world.performer.id}}`)
  })

  it("returns a member's group", async () => {
    const token = await tokenWith(world.performer.id, ['account_information'])
    const response = await fetch(server.url + PATH, { headers: bearer(token) })
    assert.deepEqual(await response.json(), {
      UserID: world.performer.id,
      GroupID: 1,
      GroupName: 'Studio Nine',
      IsGroupManager: false,
    })
  })

  it("returns a manager's group", async () => {
    const token = await tokenWith(world.manager.id, ['account_information'])
    const response = await fetch(server.url + PATH, { headers: bearer(token) })
    assert.deepEqual(await response.json(), {
      UserID: world.manager.id,
      GroupID: 1,
      GroupName: 'Studio Nine',
      IsGroupManager: true,
    })
  })

  it('returns null group fields for a user in no group', async () => {
    const token = await tokenWith(world.loner.id, ['account_information'])
    const response = await fetch(server.url + PATH, { headers: bearer(token) })
    assert.equal(
      await response.text(),
      `{"UserID":${world.loner.id},"GroupID":null,"GroupName":null,"IsGroupManager":false}`,
    )
  })

  it('answers in XML', async () => {
    const token = await tokenWith(world.manager.id, ['account_information'])
    const response = await fetch(server.url + PATH, {
      headers: { ...bearer(token), accept: 'application/xml' },
    })
    const xml = await response.text()
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?><VerifyCredentials xmlns="urn:phonechat-api:v1"/,
    )
    assert.match(xml, /<IsGroupManager>true<\/IsGroupManager>/)
    assert.deepEqual(await validateAgainstSchema(xml, 'settings'), [])
    const loner = await tokenWith(world.loner.id, ['account_information'])
    const nil = await fetch(server.url + PATH, {
      headers: { ...bearer(loner), accept: 'text/xml' },
    })
    assert.deepEqual(await validateAgainstSchema(await nil.text(), 'settings'), [])
  })

  it('matches the path case-insensitively and needs a token', async () => {
    const response = await fetch(`${server.url}/v1/Account/VerifyCredentials`)
    assert.equal(response.status, 401)
  })
})
