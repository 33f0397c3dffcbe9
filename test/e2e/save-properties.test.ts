import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import fc from 'fast-check'

import { formatCredits, type Hundredths } from '../../src/domain/credits.js'
import {
  bearer,
  seedWorld,
  startTestServer,
  type TestServer,
  type World,
} from '../helpers/test-server.js'

const SAVE = '/v1/PhoneChat/SaveSettings'
const GET = '/v1/PhoneChat/GetSettings'
const RUNS = 60

/** A price as hundredths plus one of its valid spellings (`1.5` or `1.50`). */
const price = fc
  .record({ hundredths: fc.integer({ min: 0, max: 99_999 }), padded: fc.boolean() })
  .map(({ hundredths, padded }) => {
    const text = formatCredits(hundredths as Hundredths)
    const spelled = padded && hundredths % 100 !== 0 ? (hundredths / 100).toFixed(2) : text
    return { text: spelled, shown: text }
  })

const phoneNumber = fc.option(
  fc.integer({ min: 0, max: 999 }).map((n) => `447700900${String(n).padStart(3, '0')}`),
)

const validSettings = fc
  .record({
    offer: fc.boolean(),
    directChatOnly: fc.boolean(),
    directChatPpm: price,
    number: phoneNumber,
    plus: fc.boolean(),
    show: fc.option(fc.boolean()),
    ppm: price,
  })
  .map((value) => {
    const show = value.number === null && value.show === true ? false : value.show
    const fields = [`"OfferDirectChat":${value.offer}`]
    if (value.offer) {
      fields.push(
        `"DirectChat":{"DirectChatOnly":${value.directChatOnly},"DirectChatPPM":${value.directChatPpm.text}}`,
      )
    }
    if (value.number !== null) {
      fields.push(`"PhoneChatNumber":"${value.plus ? '+' : ''}${value.number}"`)
    }
    if (show !== null) {
      fields.push(`"ShowPhoneChatNumber":${show}`)
    }
    fields.push(`"PhoneChatPPM":${value.ppm.text}`)
    return { body: `{${fields.join(',')}}`, value, show }
  })

/** Mutations that each break exactly one save rule. */
const MUTATIONS: readonly ((body: Record<string, unknown>) => void)[] = [
  (body) => delete body.OfferDirectChat,
  (body) => delete body.PhoneChatPPM,
  (body) => (body.OfferDirectChat = 'true'),
  (body) => (body.PhoneChatPPM = '1.5'),
  (body) => (body.PhoneChatPPM = -1),
  (body) => (body.PhoneChatPPM = 1.234),
  (body) => (body.PhoneChatPPM = 1000),
  (body) => (body.PhoneChatPPM = null),
  (body) => (body.Unknown = 1),
  (body) => (body.PhoneChatNumber = '0044 7700 900123'),
  (body) => (body.PhoneChatNumber = 447700900123),
  (body) => {
    body.PhoneChatNumber = null
    body.ShowPhoneChatNumber = true
  },
  (body) => {
    body.OfferDirectChat = true
    delete body.DirectChat
  },
  (body) => {
    body.OfferDirectChat = false
    body.DirectChat = { DirectChatOnly: true, DirectChatPPM: 1 }
  },
  (body) => {
    body.OfferDirectChat = true
    body.DirectChat = { DirectChatOnly: true, DirectChatPPM: 1.001 }
  },
  (body) => (body.ShowPhoneChatNumber = 'yes'),
]

describe('SaveSettings properties', () => {
  let server: TestServer
  let world: World

  before(async () => {
    server = await startTestServer()
    world = await seedWorld(server.store)
  })
  after(() => server.close())

  const save = (body: string) =>
    fetch(server.url + SAVE, {
      method: 'POST',
      headers: { ...bearer(world.loner.token), 'content-type': 'application/json' },
      body,
    })

  it('reads back any valid settings exactly as saved', async () => {
    await fc.assert(
      fc.asyncProperty(validSettings, async ({ body, value, show }) => {
        const before = (await (
          await fetch(server.url + GET, { headers: bearer(world.loner.token) })
        ).json()) as {
          ShowPhoneChatNumber: boolean
        }
        const response = await save(body)
        assert.equal(response.status, 200, body)
        const read = await fetch(server.url + GET, { headers: bearer(world.loner.token) })
        const text = await read.text()
        assert.equal(text, await response.text())

        const expectedShow = value.number === null ? false : (show ?? before.ShowPhoneChatNumber)
        const expected =
          `{"OfferDirectChat":${value.offer}` +
          (value.offer
            ? `,"DirectChat":{"DirectChatOnly":${value.directChatOnly},"DirectChatPPM":${value.directChatPpm.shown}}`
            : '') +
          `,"PhoneChatNumber":${value.number === null ? 'null' : `"+${value.number}"`}` +
          `,"ShowPhoneChatNumber":${expectedShow}` +
          `,"PhoneChatPPM":${value.ppm.shown}}`
        assert.equal(text, expected)
      }),
      { numRuns: RUNS },
    )
  })

  it('rejects any broken body with 400 and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        validSettings,
        fc.integer({ min: 0, max: MUTATIONS.length - 1 }),
        async ({ body }, mutationIndex) => {
          const before = await fetch(server.url + GET, { headers: bearer(world.loner.token) })
          const beforeText = await before.text()
          const document = JSON.parse(body) as Record<string, unknown>
          MUTATIONS[mutationIndex]!(document)
          const response = await save(JSON.stringify(document))
          assert.equal(response.status, 400, JSON.stringify(document))
          const problem = (await response.json()) as { code: string; errors?: unknown[] }
          assert.equal(problem.code, 'validation_failed')
          assert.ok((problem.errors?.length ?? 0) > 0)
          const afterwards = await fetch(server.url + GET, { headers: bearer(world.loner.token) })
          assert.equal(afterwards.headers.get('etag'), before.headers.get('etag'))
          assert.equal(await afterwards.text(), beforeText)
        },
      ),
      { numRuns: RUNS },
    )
  })
})
