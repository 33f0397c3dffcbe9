import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import {
  bearer,
  seedWorld,
  startTestServer,
  type TestServer,
  type World,
} from '../helpers/test-server.js'
import { validateAgainstSchema } from '../helpers/xml.js'

const PATH = '/v1/Groups/PhoneChat/GetSettings'
const DEFAULT_JSON =
  '{"OfferDirectChat":false,"PhoneChatNumber":null,"ShowPhoneChatNumber":false,"PhoneChatPPM":null}'

interface Problem {
  title: string
  status: number
  detail: string
  code: string
}

describe('GET /v1/Groups/PhoneChat/GetSettings', () => {
  let server: TestServer
  let world: World

  before(async () => {
    server = await startTestServer()
    world = await seedWorld(server.store)
  })
  after(() => server.close())

  const get = (query: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${PATH}${query}`, { headers: { ...bearer(token), ...headers } })

  describe('success', () => {
    it("returns a member's settings to the manager", async () => {
      const own = await fetch(`${server.url}/v1/PhoneChat/GetSettings`, {
        headers: bearer(world.performer.token),
      })
      const response = await get(`?UserID=${world.performer.id}`, world.manager.token)
      assert.equal(response.status, 200)
      assert.equal(await response.text(), await own.text())
    })

    it('returns defaults for a member who never saved', async () => {
      const response = await get(`?UserID=${world.newcomer.id}`, world.manager.token)
      assert.equal(response.status, 200)
      assert.equal(await response.text(), DEFAULT_JSON)
    })

    it('lets a manager name themself', async () => {
      const response = await get(`?UserID=${world.manager.id}`, world.manager.token)
      assert.equal(response.status, 200)
      assert.equal(await response.text(), DEFAULT_JSON)
    })

    it('matches the path and parameter name case-insensitively', async () => {
      for (const [path, name] of [
        ['/v1/groups/phonechat/getsettings', 'userid'],
        ['/V1/GROUPS/PHONECHAT/GETSETTINGS', 'USERID'],
        [PATH, 'UserId'],
      ] as const) {
        const response = await fetch(`${server.url}${path}?${name}=${world.performer.id}`, {
          headers: bearer(world.manager.token),
        })
        assert.equal(response.status, 200, `${path}?${name}`)
      }
    })

    it('returns XML that validates against the schema', async () => {
      const response = await get(`?UserID=${world.performer.id}`, world.manager.token, {
        accept: 'application/xml',
      })
      assert.equal(response.status, 200)
      const xml = await response.text()
      assert.match(xml, /<DirectChatPPM>2.25<\/DirectChatPPM>/)
      assert.deepEqual(await validateAgainstSchema(xml, 'settings'), [])
    })

    it('logs the manager and member of each impersonated request', async () => {
      const response = await get(`?UserID=${world.newcomer.id}`, world.manager.token)
      assert.equal(response.status, 200)
      const requestId = response.headers.get('x-request-id')
      const line = server.logs
        .lines()
        .find((entry) => entry.requestId === requestId && entry.memberUserId !== undefined)
      assert.ok(line, 'no impersonation log line for the request')
      assert.equal(line.managerUserId, world.manager.id)
      assert.equal(line.memberUserId, world.newcomer.id)
    })
  })

  describe('authorization', () => {
    it('logs refused requests with both user IDs', async () => {
      const response = await get(`?UserID=${world.outsider.id}`, world.manager.token)
      const requestId = response.headers.get('x-request-id')
      const line = server.logs
        .lines()
        .find(
          (entry) =>
            entry.requestId === requestId &&
            entry.code === 'not_group_member' &&
            entry.managerUserId !== undefined,
        )
      assert.ok(line, 'no denial log line for the request')
      assert.equal(line.managerUserId, world.manager.id)
      assert.equal(line.memberUserId, world.outsider.id)
      assert.equal(line.clientId, world.client.client_id)
    })

    it('rejects a caller who manages no group with 403', async () => {
      const response = await get(`?UserID=${world.performer.id}`, world.loner.token)
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_manager')
    })

    it('rejects a group member who is not the manager with 403', async () => {
      const response = await get(`?UserID=${world.newcomer.id}`, world.performer.token)
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_manager')
    })

    it("rejects a member of another manager's group with 403", async () => {
      const response = await get(`?UserID=${world.outsider.id}`, world.manager.token)
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_member')
    })

    it('rejects the other manager reading our member with 403', async () => {
      const response = await get(`?UserID=${world.performer.id}`, world.otherManager.token)
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_member')
    })

    it('answers a missing user exactly like a non-member', async () => {
      const missingId = 2147483647
      const nonMember = await get(`?UserID=${world.outsider.id}`, world.manager.token)
      const missing = await get(`?UserID=${missingId}`, world.manager.token)
      assert.equal(missing.status, nonMember.status)
      const a = (await nonMember.json()) as Problem
      const b = (await missing.json()) as Problem
      assert.equal(b.code, a.code)
      assert.equal(b.title, a.title)
      assert.equal(
        b.detail.replace(String(missingId), 'N'),
        a.detail.replace(String(world.outsider.id), 'N'),
      )
      assert.deepEqual(
        [...missing.headers.keys()].filter(
          (name) => !['date', 'x-request-id', 'content-length'].includes(name),
        ),
        [...nonMember.headers.keys()].filter(
          (name) => !['date', 'x-request-id', 'content-length'].includes(name),
        ),
      )
    })

    it("checks the scope on the manager's token", async () => {
      const response = await get(`?UserID=${world.performer.id}`, world.unscopedManagerToken)
      assert.equal(response.status, 403)
      assert.match(
        response.headers.get('www-authenticate') ?? '',
        /scope="account_phonechat_bookings"/,
      )
      assert.equal(((await response.json()) as Problem).code, 'insufficient_scope')
    })

    it('rejects a request without credentials with 401', async () => {
      const response = await fetch(`${server.url}${PATH}?UserID=${world.performer.id}`)
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
    })
  })

  describe('UserID validation', () => {
    const invalid = [
      '',
      '?UserID=',
      '?UserID=0',
      '?UserID=-1',
      '?UserID=01',
      '?UserID=1.0',
      '?UserID=1e3',
      '?UserID=abc',
      '?UserID=%201',
      '?UserID=%2B1',
      '?UserID=0x10',
      '?UserID=2147483648',
      '?UserID=99999999999',
      '?UserID=1&UserID=1',
      '?UserID=1&userid=2',
    ]
    for (const query of invalid) {
      it(`rejects "${query}" with 400 naming UserID`, async () => {
        const response = await get(query, world.manager.token)
        assert.equal(response.status, 400)
        const problem = (await response.json()) as Problem
        assert.equal(problem.code, 'invalid_parameter')
        assert.match(problem.detail, /UserID/)
      })
    }

    it('renders a parameter error as problem XML when XML was negotiated', async () => {
      const response = await get('?UserID=abc', world.manager.token, { accept: 'application/xml' })
      assert.equal(response.status, 400)
      const xml = await response.text()
      assert.match(xml, /<code>invalid_parameter<\/code>/)
      assert.deepEqual(await validateAgainstSchema(xml, 'problem'), [])
    })
  })
})
