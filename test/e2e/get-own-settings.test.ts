import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { hashSecret, generateSecret } from '../../src/auth/secrets.js'
import { revokeToken } from '../../src/admin/operations.js'
import {
  bearer,
  seedWorld,
  startTestServer,
  type TestServer,
  type World,
} from '../helpers/test-server.js'
import { validateAgainstSchema } from '../helpers/xml.js'

const PATH = '/v1/PhoneChat/GetSettings'
const PERFORMER_JSON =
  '{"OfferDirectChat":true,"DirectChat":{"DirectChatOnly":false,"DirectChatPPM":2.25},' +
  '"PhoneChatNumber":"+447700900123","ShowPhoneChatNumber":true,"PhoneChatPPM":1.1}'
const DEFAULT_JSON =
  '{"OfferDirectChat":false,"PhoneChatNumber":null,"ShowPhoneChatNumber":false,"PhoneChatPPM":null}'
const PERFORMER_XML =
  '<?xml version="1.0" encoding="UTF-8"?><PhoneChatSettings xmlns="urn:phonechat-api:v1" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><OfferDirectChat>true</OfferDirectChat>' +
  '<DirectChat><DirectChatOnly>false</DirectChatOnly><DirectChatPPM>2.25</DirectChatPPM></DirectChat>' +
  '<PhoneChatNumber>+447700900123</PhoneChatNumber><ShowPhoneChatNumber>true</ShowPhoneChatNumber>' +
  '<PhoneChatPPM>1.1</PhoneChatPPM></PhoneChatSettings>'
const DEFAULT_XML =
  '<?xml version="1.0" encoding="UTF-8"?><PhoneChatSettings xmlns="urn:phonechat-api:v1" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><OfferDirectChat>false</OfferDirectChat>' +
  '<PhoneChatNumber xsi:nil="true"/><ShowPhoneChatNumber>false</ShowPhoneChatNumber>' +
  '<PhoneChatPPM xsi:nil="true"/></PhoneChatSettings>'

interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  requestId: string
}

describe('GET /v1/PhoneChat/GetSettings', () => {
  let server: TestServer
  let world: World

  before(async () => {
    server = await startTestServer()
    world = await seedWorld(server.store)
  })
  after(() => server.close())

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(server.url + path, { method, headers })

  describe('success', () => {
    it('returns saved settings as JSON in field order', async () => {
      const response = await get(PATH, bearer(world.performer.token))
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
      assert.equal(await response.text(), PERFORMER_JSON)
    })

    it('returns defaults for a user who never saved', async () => {
      const response = await get(PATH, bearer(world.newcomer.token))
      assert.equal(response.status, 200)
      assert.equal(await response.text(), DEFAULT_JSON)
    })

    it('omits DirectChat when not offered', async () => {
      const response = await get(PATH, bearer(world.outsider.token))
      const body = (await response.json()) as Record<string, unknown>
      assert.equal(body.OfferDirectChat, false)
      assert.equal('DirectChat' in body, false)
      assert.equal(body.PhoneChatPPM, 3)
    })

    it('returns XML that validates against the schema', async () => {
      const response = await get(PATH, {
        ...bearer(world.performer.token),
        accept: 'application/xml',
      })
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), 'application/xml; charset=utf-8')
      const xml = await response.text()
      assert.equal(xml, PERFORMER_XML)
      assert.deepEqual(await validateAgainstSchema(xml, 'settings'), [])
    })

    it('returns default XML with nil elements that validates', async () => {
      const response = await get(PATH, { ...bearer(world.newcomer.token), accept: 'text/xml' })
      assert.equal(response.headers.get('content-type'), 'text/xml; charset=utf-8')
      const xml = await response.text()
      assert.equal(xml, DEFAULT_XML)
      assert.deepEqual(await validateAgainstSchema(xml, 'settings'), [])
    })

    it('matches the path case-insensitively', async () => {
      for (const path of ['/v1/phonechat/getsettings', '/V1/PHONECHAT/GETSETTINGS', `${PATH}/`]) {
        const response = await get(path, bearer(world.performer.token))
        assert.equal(response.status, 200, path)
        assert.equal(await response.text(), PERFORMER_JSON, path)
      }
    })

    it('accepts the bearer scheme in any case', async () => {
      for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) {
        const response = await get(PATH, { authorization: `${scheme} ${world.performer.token}` })
        assert.equal(response.status, 200, scheme)
      }
    })

    it('sends Vary and private caching headers', async () => {
      const response = await get(PATH, bearer(world.performer.token))
      assert.equal(response.headers.get('vary'), 'Accept')
      assert.equal(response.headers.get('cache-control'), 'private, no-cache')
    })
  })

  describe('content negotiation', () => {
    const cases: [string, string | null][] = [
      ['', 'application/json'],
      ['*/*', 'application/json'],
      ['application/*', 'application/json'],
      ['application/json', 'application/json'],
      ['application/json; charset=utf-8', 'application/json'],
      ['text/xml; charset=utf-8', 'text/xml'],
      ['application/json;q=0, text/html', null],
      ['application/xml', 'application/xml'],
      ['text/xml', 'text/xml'],
      ['application/json;q=0.5, application/xml', 'application/xml'],
      ['application/xml;q=0.4, application/json;q=0.9', 'application/json'],
      ['text/xml;q=0.9, */*;q=0.1', 'text/xml'],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json'],
      ['image/png', null],
      ['text/plain, text/csv', null],
      ['application/xml;q=0', null],
    ]
    for (const [accept, expected] of cases) {
      it(`Accept "${accept}" gives ${expected ?? '406'}`, async () => {
        const response = await get(PATH, { ...bearer(world.performer.token), accept })
        if (expected === null) {
          assert.equal(response.status, 406)
          assert.equal(
            response.headers.get('content-type'),
            'application/problem+json; charset=utf-8',
          )
          assert.equal(((await response.json()) as Problem).code, 'not_acceptable')
        } else {
          assert.equal(response.status, 200)
          assert.equal(response.headers.get('content-type'), `${expected}; charset=utf-8`)
        }
      })
    }
  })

  describe('authentication errors', () => {
    it('rejects a request without credentials with 401 and a bare challenge', async () => {
      const response = await get(PATH)
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8')
      const problem = (await response.json()) as Problem
      assert.equal(problem.code, 'unauthorized')
      assert.equal(problem.status, 401)
      assert.equal(problem.type, 'urn:phonechat-api:problem:unauthorized')
      assert.equal(problem.requestId, response.headers.get('x-request-id'))
    })

    it('treats another scheme as no credentials', async () => {
      const response = await get(PATH, { authorization: 'Basic dXNlcjpwYXNz' })
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
    })

    it('rejects a token in the query string as no credentials', async () => {
      const response = await get(`${PATH}?access_token=${world.performer.token}`)
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
      assert.equal(((await response.json()) as Problem).code, 'unauthorized')
    })

    it('rejects a token in both header and query with 400', async () => {
      const response = await get(`${PATH}?access_token=x`, bearer(world.performer.token))
      assert.equal(response.status, 400)
      assert.equal(((await response.json()) as Problem).code, 'invalid_request')
    })

    for (const header of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer tok"en', 'Bearer ab,cd']) {
      it(`rejects the malformed header "${header}" with 400`, async () => {
        const response = await get(PATH, { authorization: header })
        assert.equal(response.status, 400)
        const challenge = response.headers.get('www-authenticate') ?? ''
        assert.match(challenge, /^Bearer realm="phonechat-api", error="invalid_request"/)
        assert.equal(((await response.json()) as Problem).code, 'invalid_request')
      })
    }

    it('rejects an unknown token with 401 invalid_token', async () => {
      const response = await get(PATH, bearer(generateSecret()))
      assert.equal(response.status, 401)
      const challenge = response.headers.get('www-authenticate') ?? ''
      assert.match(challenge, /^Bearer realm="phonechat-api", error="invalid_token"/)
      assert.equal(((await response.json()) as Problem).code, 'invalid_token')
    })

    it('rejects an expired token with 401 invalid_token', async () => {
      const token = generateSecret()
      await server.store.insertAccessToken({
        tokenHash: hashSecret(token),
        userId: world.performer.id,
        clientId: world.client.client_id,
        scopes: ['account_phonechat_bookings'],
        issuedAt: new Date(Date.now() - 60_000),
        expiresAt: new Date(Date.now() - 1_000),
        revokedAt: null,
        familyId: null,
      })
      const response = await get(PATH, bearer(token))
      assert.equal(response.status, 401)
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
      const problem = (await response.json()) as Problem
      assert.equal(problem.code, 'invalid_token')
      assert.match(problem.detail, /expired/)
    })

    it('rejects a revoked token with 401 invalid_token', async () => {
      const token = generateSecret()
      await server.store.insertAccessToken({
        tokenHash: hashSecret(token),
        userId: world.performer.id,
        clientId: world.client.client_id,
        scopes: ['account_phonechat_bookings'],
        issuedAt: new Date(),
        expiresAt: new Date(Date.now() + 600_000),
        revokedAt: null,
        familyId: null,
      })
      assert.equal((await get(PATH, bearer(token))).status, 200)
      await revokeToken(server.store, token)
      const response = await get(PATH, bearer(token))
      assert.equal(response.status, 401)
      assert.equal(((await response.json()) as Problem).code, 'invalid_token')
    })

    it('rejects a token without the scope with 403 naming it', async () => {
      const response = await get(PATH, bearer(world.unscopedToken))
      assert.equal(response.status, 403)
      const challenge = response.headers.get('www-authenticate') ?? ''
      assert.match(challenge, /error="insufficient_scope"/)
      assert.match(challenge, /scope="account_phonechat_bookings"/)
      assert.equal(((await response.json()) as Problem).code, 'insufficient_scope')
    })

    it('renders errors as problem XML when XML was negotiated', async () => {
      const response = await get(PATH, { accept: 'application/xml' })
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('content-type'), 'application/problem+xml; charset=utf-8')
      const xml = await response.text()
      assert.match(xml, /<code>unauthorized<\/code>/)
      assert.deepEqual(await validateAgainstSchema(xml, 'problem'), [])
    })
  })

  describe('API keys', () => {
    it('accepts the client API key in X-ApiKey', async () => {
      const response = await get(PATH, {
        ...bearer(world.performer.token),
        'x-apikey': world.client.api_key,
      })
      assert.equal(response.status, 200)
    })

    it('accepts the client API key in apiKey, in any spelling', async () => {
      for (const name of ['apiKey', 'apikey', 'APIKEY']) {
        const response = await get(
          `${PATH}?${name}=${world.client.api_key}`,
          bearer(world.performer.token),
        )
        assert.equal(response.status, 200, name)
      }
    })

    it("rejects another client's API key with 401", async () => {
      const response = await get(PATH, {
        ...bearer(world.performer.token),
        'x-apikey': world.otherClient.api_key,
      })
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
      assert.equal(((await response.json()) as Problem).code, 'invalid_api_key')
    })

    it('rejects an unknown API key with 401', async () => {
      const response = await get(`${PATH}?apiKey=nonsense`, bearer(world.performer.token))
      assert.equal(response.status, 401)
      assert.equal(((await response.json()) as Problem).code, 'invalid_api_key')
    })

    it('rejects an API key given twice with 401', async () => {
      const response = await get(`${PATH}?apiKey=${world.client.api_key}`, {
        ...bearer(world.performer.token),
        'x-apikey': world.client.api_key,
      })
      assert.equal(response.status, 401)
      assert.equal(((await response.json()) as Problem).code, 'invalid_api_key')
    })
  })
})
