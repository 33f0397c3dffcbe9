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

const OWN_SAVE = '/v1/PhoneChat/SaveSettings'
const OWN_GET = '/v1/PhoneChat/GetSettings'
const GROUP_SAVE = '/v1/Groups/PhoneChat/SaveSettings'
const GROUP_GET = '/v1/Groups/PhoneChat/GetSettings'
const XML_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><PhoneChatSettings xmlns="urn:phonechat-api:v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'

interface Problem {
  status: number
  detail: string
  code: string
  errors?: { field: string; problem: string }[]
}

describe('POST SaveSettings', () => {
  let server: TestServer
  let world: World

  before(async () => {
    server = await startTestServer()
    world = await seedWorld(server.store)
  })
  after(() => server.close())

  const post = (path: string, token: string, body: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json', ...headers },
      body,
    })
  const getText = async (path: string, token: string, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url + path, { headers: { ...bearer(token), ...headers } })
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      body: await response.text(),
    }
  }
  const auditCount = async (userId: number) =>
    (await server.store.listSettingsAudit(userId, 1000)).length

  /** Asserts that a rejected request left the user's settings and audit trail as they were. */
  async function assertUnchanged(userId: number, token: string, action: () => Promise<Response>) {
    const before = await getText(OWN_GET, token)
    const entries = await auditCount(userId)
    const response = await action()
    const afterwards = await getText(OWN_GET, token)
    assert.equal(afterwards.body, before.body, 'the settings changed')
    assert.equal(afterwards.etag, before.etag, 'the ETag changed')
    assert.equal(await auditCount(userId), entries, 'an audit entry was written')
    return response
  }

  describe('own settings', () => {
    it('saves JSON and returns the stored settings with an ETag', async () => {
      const body = {
        OfferDirectChat: true,
        DirectChat: { DirectChatOnly: true, DirectChatPPM: 3.3 },
        PhoneChatNumber: '447700900201',
        ShowPhoneChatNumber: true,
        PhoneChatPPM: 0.1,
      }
      const response = await post(OWN_SAVE, world.loner.token, JSON.stringify(body))
      assert.equal(response.status, 200)
      const expected =
        '{"OfferDirectChat":true,"DirectChat":{"DirectChatOnly":true,"DirectChatPPM":3.3},' +
        '"PhoneChatNumber":"+447700900201","ShowPhoneChatNumber":true,"PhoneChatPPM":0.1}'
      assert.equal(await response.text(), expected)
      const etag = response.headers.get('etag')
      assert.match(etag ?? '', /^"[^"]+"$/)
      const read = await getText(OWN_GET, world.loner.token)
      assert.equal(read.body, expected)
      assert.equal(read.etag, etag)
    })

    it('reads decimals back exactly', async () => {
      const cases: [string, string][] = [
        ['0.29', '0.29'],
        ['1.10', '1.1'],
        ['999.99', '999.99'],
        ['0', '0'],
        ['12.5', '12.5'],
      ]
      for (const [sent, shown] of cases) {
        const response = await post(
          OWN_SAVE,
          world.loner.token,
          `{"OfferDirectChat":false,"PhoneChatPPM":${sent}}`,
        )
        assert.equal(response.status, 200, sent)
        assert.match(
          await response.text(),
          new RegExp(`"PhoneChatPPM":${shown.replace('.', '\\.')}}$`),
          sent,
        )
        const xml = await getText(OWN_GET, world.loner.token, { accept: 'application/xml' })
        assert.ok(xml.body.includes(`<PhoneChatPPM>${shown}</PhoneChatPPM>`), sent)
      }
    })

    it('saves an XML body and answers in XML', async () => {
      const body =
        '<?xml version="1.0"?><PhoneChatSettings xmlns="urn:phonechat-api:v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<OfferDirectChat>true</OfferDirectChat><DirectChat><DirectChatOnly>false</DirectChatOnly>' +
        '<DirectChatPPM>4.05</DirectChatPPM></DirectChat><PhoneChatNumber>+447700900202</PhoneChatNumber>' +
        '<ShowPhoneChatNumber>false</ShowPhoneChatNumber><PhoneChatPPM>2</PhoneChatPPM></PhoneChatSettings>'
      const response = await post(OWN_SAVE, world.loner.token, body, {
        'content-type': 'application/xml; charset=utf-8',
        accept: 'application/xml',
      })
      assert.equal(response.status, 200)
      const xml = await response.text()
      assert.equal(
        xml,
        XML_HEAD +
          '<OfferDirectChat>true</OfferDirectChat><DirectChat><DirectChatOnly>false</DirectChatOnly>' +
          '<DirectChatPPM>4.05</DirectChatPPM></DirectChat><PhoneChatNumber>+447700900202</PhoneChatNumber>' +
          '<ShowPhoneChatNumber>false</ShowPhoneChatNumber><PhoneChatPPM>2</PhoneChatPPM></PhoneChatSettings>',
      )
      assert.deepEqual(await validateAgainstSchema(xml, 'settings'), [])
    })

    it('accepts text/xml with nil and answers in JSON', async () => {
      const body =
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<OfferDirectChat>false</OfferDirectChat><PhoneChatNumber xsi:nil="true"/><PhoneChatPPM>1.5</PhoneChatPPM></PhoneChatSettings>'
      const response = await post(OWN_SAVE, world.loner.token, body, { 'content-type': 'text/xml' })
      assert.equal(response.status, 200)
      assert.equal(
        await response.text(),
        '{"OfferDirectChat":false,"PhoneChatNumber":null,"ShowPhoneChatNumber":false,"PhoneChatPPM":1.5}',
      )
    })

    it('keeps ShowPhoneChatNumber when omitted', async () => {
      await post(
        OWN_SAVE,
        world.loner.token,
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900203","ShowPhoneChatNumber":true,"PhoneChatPPM":1}',
      )
      const response = await post(
        OWN_SAVE,
        world.loner.token,
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900204","PhoneChatPPM":1}',
      )
      const body = (await response.json()) as Record<string, unknown>
      assert.equal(body.ShowPhoneChatNumber, true)
      assert.equal(body.PhoneChatNumber, '+447700900204')
    })

    it('sets ShowPhoneChatNumber false when the number is cleared', async () => {
      await post(
        OWN_SAVE,
        world.loner.token,
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900205","ShowPhoneChatNumber":true,"PhoneChatPPM":1}',
      )
      const response = await post(
        OWN_SAVE,
        world.loner.token,
        '{"OfferDirectChat":false,"PhoneChatPPM":1}',
      )
      const body = (await response.json()) as Record<string, unknown>
      assert.equal(body.PhoneChatNumber, null)
      assert.equal(body.ShowPhoneChatNumber, false)
    })

    it('matches the path case-insensitively', async () => {
      const response = await post(
        '/v1/phonechat/savesettings',
        world.loner.token,
        '{"OfferDirectChat":false,"PhoneChatPPM":1}',
      )
      assert.equal(response.status, 200)
    })
  })

  describe('validation', () => {
    const invalid: [string, string, string[]][] = [
      ['missing OfferDirectChat', '{"PhoneChatPPM":1}', ['OfferDirectChat']],
      ['DirectChat missing', '{"OfferDirectChat":true,"PhoneChatPPM":1}', ['DirectChat']],
      [
        'DirectChat not allowed',
        '{"OfferDirectChat":false,"DirectChat":{"DirectChatOnly":true,"DirectChatPPM":1},"PhoneChatPPM":1}',
        ['DirectChat'],
      ],
      [
        'DirectChatOnly missing',
        '{"OfferDirectChat":true,"DirectChat":{"DirectChatPPM":1},"PhoneChatPPM":1}',
        ['DirectChat.DirectChatOnly'],
      ],
      ['PhoneChatPPM missing', '{"OfferDirectChat":false}', ['PhoneChatPPM']],
      ['PhoneChatPPM string', '{"OfferDirectChat":false,"PhoneChatPPM":"1.5"}', ['PhoneChatPPM']],
      [
        'PhoneChatPPM three places',
        '{"OfferDirectChat":false,"PhoneChatPPM":1.005}',
        ['PhoneChatPPM'],
      ],
      ['PhoneChatPPM exponent', '{"OfferDirectChat":false,"PhoneChatPPM":1E+0}', ['PhoneChatPPM']],
      ['PhoneChatPPM negative', '{"OfferDirectChat":false,"PhoneChatPPM":-0.01}', ['PhoneChatPPM']],
      ['PhoneChatPPM above max', '{"OfferDirectChat":false,"PhoneChatPPM":1000}', ['PhoneChatPPM']],
      [
        'DirectChatPPM bad',
        '{"OfferDirectChat":true,"DirectChat":{"DirectChatOnly":true,"DirectChatPPM":1.111},"PhoneChatPPM":1}',
        ['DirectChat.DirectChatPPM'],
      ],
      [
        'number without country code',
        '{"OfferDirectChat":false,"PhoneChatNumber":"07700900123","PhoneChatPPM":1}',
        ['PhoneChatNumber'],
      ],
      [
        'number with spaces',
        '{"OfferDirectChat":false,"PhoneChatNumber":"+44 7700 900123","PhoneChatPPM":1}',
        ['PhoneChatNumber'],
      ],
      [
        'show without number',
        '{"OfferDirectChat":false,"ShowPhoneChatNumber":true,"PhoneChatPPM":1}',
        ['ShowPhoneChatNumber'],
      ],
      ['unknown field', '{"OfferDirectChat":false,"PhoneChatPPM":1,"Colour":"red"}', ['Colour']],
      [
        'UserID on own endpoint',
        '{"OfferDirectChat":false,"PhoneChatPPM":1,"UserID":1}',
        ['UserID'],
      ],
      [
        '__proto__ key',
        '{"OfferDirectChat":false,"PhoneChatPPM":1,"__proto__":{"admin":true}}',
        ['__proto__'],
      ],
      [
        'constructor key',
        '{"OfferDirectChat":false,"PhoneChatPPM":1,"constructor":{"prototype":{}}}',
        ['constructor'],
      ],
      [
        'several problems',
        '{"OfferDirectChat":"yes","PhoneChatPPM":-1}',
        ['OfferDirectChat', 'PhoneChatPPM'],
      ],
    ]
    for (const [name, body, fields] of invalid) {
      it(`rejects ${name} with 400 and writes nothing`, async () => {
        const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
          post(OWN_SAVE, world.performer.token, body),
        )
        assert.equal(response.status, 400)
        const problem = (await response.json()) as Problem
        assert.equal(problem.code, 'validation_failed')
        assert.deepEqual(problem.errors?.map((error) => error.field).sort(), [...fields].sort())
        for (const field of fields) {
          assert.ok(problem.detail.includes(field), `detail does not name ${field}`)
        }
      })
    }

    it('rejects non-XML whitespace around XML values', async () => {
      const body =
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1"><OfferDirectChat>false&#xA0;</OfferDirectChat><PhoneChatPPM>&#x2003;5</PhoneChatPPM></PhoneChatSettings>'
      const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
        post(OWN_SAVE, world.performer.token, body, { 'content-type': 'application/xml' }),
      )
      assert.equal(response.status, 400)
      const problem = (await response.json()) as Problem
      assert.deepEqual(problem.errors?.map((error) => error.field).sort(), [
        'OfferDirectChat',
        'PhoneChatPPM',
      ])
    })

    it('lists field errors in problem XML', async () => {
      const body =
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1"><OfferDirectChat>maybe</OfferDirectChat><PhoneChatPPM>1.001</PhoneChatPPM></PhoneChatSettings>'
      const response = await post(OWN_SAVE, world.performer.token, body, {
        'content-type': 'application/xml',
        accept: 'application/xml',
      })
      assert.equal(response.status, 400)
      const xml = await response.text()
      assert.ok(xml.includes('<field>OfferDirectChat</field>'))
      assert.ok(xml.includes('<field>PhoneChatPPM</field>'))
      assert.deepEqual(await validateAgainstSchema(xml, 'problem'), [])
    })

    const badBodies: [string, string, Record<string, string>, number, string][] = [
      ['invalid JSON', '{"OfferDirectChat":', {}, 400, 'invalid_body'],
      [
        'duplicate JSON keys',
        '{"OfferDirectChat":false,"OfferDirectChat":true,"PhoneChatPPM":1}',
        {},
        400,
        'invalid_body',
      ],
      ['an empty JSON body', '', {}, 400, 'invalid_body'],
      [
        'a second charset',
        '{"OfferDirectChat":false,"PhoneChatPPM":1}',
        { 'content-type': 'application/json; charset=utf-8; charset=latin1' },
        415,
        'unsupported_media_type',
      ],
      [
        'an xsi:nil element holding a no-break space',
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><OfferDirectChat>false</OfferDirectChat><PhoneChatNumber xsi:nil="true">&#xA0;</PhoneChatNumber><PhoneChatPPM>1</PhoneChatPPM></PhoneChatSettings>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'a no-break space between elements',
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1">&#x2003;<OfferDirectChat>false</OfferDirectChat><PhoneChatPPM>1</PhoneChatPPM></PhoneChatSettings>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'duplicate equal JSON keys',
        '{"OfferDirectChat":false,"PhoneChatPPM":1,"PhoneChatPPM":1}',
        {},
        400,
        'invalid_body',
      ],
      [
        'a Latin-1 charset',
        '{"OfferDirectChat":false,"PhoneChatPPM":1}',
        { 'content-type': 'application/json; charset=iso-8859-1' },
        415,
        'unsupported_media_type',
      ],
      [
        'XML declaring UTF-16',
        '<?xml version="1.0" encoding="UTF-16"?><PhoneChatSettings xmlns="urn:phonechat-api:v1"/>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'xsi:nil with content',
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><OfferDirectChat>false</OfferDirectChat><DirectChat xsi:nil="true"><Evil>1</Evil></DirectChat><PhoneChatPPM>1</PhoneChatPPM></PhoneChatSettings>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      ['a JSON array', '[1]', {}, 400, 'validation_failed'],
      [
        'invalid XML',
        '<PhoneChatSettings>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'XML in another namespace',
        '<PhoneChatSettings><OfferDirectChat>false</OfferDirectChat></PhoneChatSettings>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'XML with a DOCTYPE',
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><PhoneChatSettings xmlns="urn:phonechat-api:v1"/>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'XML with a repeated element',
        '<PhoneChatSettings xmlns="urn:phonechat-api:v1"><PhoneChatPPM>1</PhoneChatPPM><PhoneChatPPM>2</PhoneChatPPM><OfferDirectChat>false</OfferDirectChat></PhoneChatSettings>',
        { 'content-type': 'application/xml' },
        400,
        'invalid_body',
      ],
      [
        'text/plain',
        '{"OfferDirectChat":false,"PhoneChatPPM":1}',
        { 'content-type': 'text/plain' },
        415,
        'unsupported_media_type',
      ],
      [
        'form encoding',
        'OfferDirectChat=false',
        { 'content-type': 'application/x-www-form-urlencoded' },
        415,
        'unsupported_media_type',
      ],
      [
        'a body over 16 KiB',
        JSON.stringify({ OfferDirectChat: false, PhoneChatPPM: 1, pad: 'x'.repeat(17_000) }),
        {},
        413,
        'payload_too_large',
      ],
    ]
    for (const [name, body, headers, status, code] of badBodies) {
      it(`rejects ${name} with ${status}`, async () => {
        const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
          post(OWN_SAVE, world.performer.token, body, headers),
        )
        assert.equal(response.status, status)
        assert.equal(((await response.json()) as Problem).code, code)
      })
    }

    it('rejects a POST without a body', async () => {
      const response = await fetch(server.url + OWN_SAVE, {
        method: 'POST',
        headers: bearer(world.performer.token),
      })
      assert.equal(response.status, 400)
      assert.equal(((await response.json()) as Problem).code, 'invalid_body')
    })

    it('checks credentials before the content type', async () => {
      const response = await fetch(server.url + OWN_SAVE, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      })
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
    })

    it('rejects a token without the scope and writes nothing', async () => {
      const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
        post(OWN_SAVE, world.unscopedToken, '{"OfferDirectChat":false,"PhoneChatPPM":9}'),
      )
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'insufficient_scope')
    })

    it('answers GET and PUT on the save path with 405', async () => {
      for (const method of ['GET', 'PUT']) {
        const response = await fetch(server.url + OWN_SAVE, {
          method,
          headers: bearer(world.performer.token),
        })
        assert.equal(response.status, 405, method)
        assert.equal(response.headers.get('allow'), 'POST', method)
      }
    })
  })

  describe('ETags', () => {
    it('answers If-None-Match with the current ETag with 304', async () => {
      const first = await getText(OWN_GET, world.performer.token)
      assert.ok(first.etag)
      for (const header of [first.etag, `W/${first.etag}`, `"other", ${first.etag}`, '*']) {
        const response = await fetch(server.url + OWN_GET, {
          headers: { ...bearer(world.performer.token), 'if-none-match': header },
        })
        assert.equal(response.status, 304, header)
        assert.equal(response.headers.get('etag'), first.etag, header)
        assert.equal(await response.text(), '', header)
      }
    })

    it('answers a stale If-None-Match with 200', async () => {
      const response = await fetch(server.url + OWN_GET, {
        headers: { ...bearer(world.performer.token), 'if-none-match': '"1-stale"' },
      })
      assert.equal(response.status, 200)
    })

    it('gives XML its own ETag', async () => {
      const json = await getText(OWN_GET, world.performer.token)
      const xml = await getText(OWN_GET, world.performer.token, { accept: 'application/xml' })
      assert.notEqual(json.etag, xml.etag)
    })

    it('sends the same ETag on the group endpoint', async () => {
      const own = await getText(OWN_GET, world.performer.token)
      const group = await getText(`${GROUP_GET}?UserID=${world.performer.id}`, world.manager.token)
      assert.equal(group.etag, own.etag)
    })

    it('saves with a current If-Match in either format', async () => {
      for (const accept of ['application/json', 'application/xml']) {
        const current = await getText(OWN_GET, world.newcomer.token, { accept })
        const response = await post(
          OWN_SAVE,
          world.newcomer.token,
          '{"OfferDirectChat":false,"PhoneChatPPM":2}',
          {
            'if-match': current.etag ?? '',
          },
        )
        assert.equal(response.status, 200, accept)
        assert.notEqual(response.headers.get('etag'), current.etag, accept)
      }
    })

    it('saves with If-Match *', async () => {
      const response = await post(
        OWN_SAVE,
        world.newcomer.token,
        '{"OfferDirectChat":false,"PhoneChatPPM":2}',
        {
          'if-match': '*',
        },
      )
      assert.equal(response.status, 200)
    })

    it('rejects a stale If-Match with 412 and writes nothing', async () => {
      const old = await getText(OWN_GET, world.newcomer.token)
      await post(OWN_SAVE, world.newcomer.token, '{"OfferDirectChat":false,"PhoneChatPPM":3}')
      for (const header of [old.etag ?? '', `W/${old.etag}`, '"garbage"']) {
        const response = await assertUnchanged(world.newcomer.id, world.newcomer.token, () =>
          post(OWN_SAVE, world.newcomer.token, '{"OfferDirectChat":false,"PhoneChatPPM":4}', {
            'if-match': header,
          }),
        )
        assert.equal(response.status, 412, header)
        assert.equal(((await response.json()) as Problem).code, 'precondition_failed', header)
      }
    })

    it('lets the last write win without If-Match', async () => {
      await post(OWN_SAVE, world.newcomer.token, '{"OfferDirectChat":false,"PhoneChatPPM":5}')
      await post(OWN_SAVE, world.newcomer.token, '{"OfferDirectChat":false,"PhoneChatPPM":6}')
      const read = await getText(OWN_GET, world.newcomer.token)
      assert.match(read.body, /"PhoneChatPPM":6}$/)
    })
  })

  describe('group member settings', () => {
    const BODY =
      '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900301","ShowPhoneChatNumber":true,"PhoneChatPPM":7.5}'

    it('saves a member with UserID in the query', async () => {
      const response = await post(
        `${GROUP_SAVE}?UserID=${world.newcomer.id}`,
        world.manager.token,
        BODY,
      )
      assert.equal(response.status, 200)
      const read = await getText(OWN_GET, world.newcomer.token)
      assert.equal(read.body, await response.text())
      assert.match(read.body, /"PhoneChatPPM":7.5}$/)
    })

    it('saves a member with UserID in the body', async () => {
      const body = `{"UserID":${world.newcomer.id},"OfferDirectChat":false,"PhoneChatPPM":7.25}`
      const response = await post(GROUP_SAVE, world.manager.token, body)
      assert.equal(response.status, 200)
      assert.equal(((await response.json()) as Record<string, unknown>).PhoneChatPPM, 7.25)
    })

    it('saves a member with UserID in an XML body', async () => {
      const body = `<PhoneChatSettings xmlns="urn:phonechat-api:v1"><UserID>${world.newcomer.id}</UserID><OfferDirectChat>false</OfferDirectChat><PhoneChatPPM>7.75</PhoneChatPPM></PhoneChatSettings>`
      const response = await post(
        `${GROUP_SAVE}?userid=${world.newcomer.id}`,
        world.manager.token,
        body,
        {
          'content-type': 'application/xml',
        },
      )
      assert.equal(response.status, 200)
      assert.equal(((await response.json()) as Record<string, unknown>).PhoneChatPPM, 7.75)
    })

    it('lets a manager save their own settings', async () => {
      const response = await post(
        `${GROUP_SAVE}?UserID=${world.manager.id}`,
        world.manager.token,
        BODY,
      )
      assert.equal(response.status, 200)
    })

    const badUserIds: [string, string, string][] = [
      ['no UserID', '', BODY],
      ['disagreeing UserIDs', '?UserID=1', BODY.replace('{', '{"UserID":2,')],
      ['a string UserID in the body', '', BODY.replace('{', '{"UserID":"1",')],
      ['a fractional UserID in the body', '', BODY.replace('{', '{"UserID":1.5,')],
      ['a bad UserID in the query', '?UserID=-4', BODY],
      ['a repeated UserID', '?UserID=1&userid=1', BODY],
      ['a UserID above 32 bits', '', BODY.replace('{', '{"UserID":2147483648,')],
    ]
    for (const [name, query, body] of badUserIds) {
      it(`rejects ${name} with 400`, async () => {
        const response = await post(`${GROUP_SAVE}${query}`, world.manager.token, body)
        assert.equal(response.status, 400)
        const problem = (await response.json()) as Problem
        assert.equal(problem.code, 'invalid_parameter')
        assert.match(problem.detail, /UserID/)
      })
    }

    it('rejects a non-member with 403 and writes nothing', async () => {
      const response = await assertUnchanged(world.outsider.id, world.outsider.token, () =>
        post(`${GROUP_SAVE}?UserID=${world.outsider.id}`, world.manager.token, BODY),
      )
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_member')
    })

    it('answers a missing user like a non-member', async () => {
      const response = await post(`${GROUP_SAVE}?UserID=2147483000`, world.manager.token, BODY)
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_member')
    })

    it('rejects a caller who manages no group with 403', async () => {
      const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
        post(`${GROUP_SAVE}?UserID=${world.performer.id}`, world.loner.token, BODY),
      )
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'not_group_manager')
    })

    it("checks the scope on the manager's token", async () => {
      const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
        post(`${GROUP_SAVE}?UserID=${world.performer.id}`, world.unscopedManagerToken, BODY),
      )
      assert.equal(response.status, 403)
      assert.equal(((await response.json()) as Problem).code, 'insufficient_scope')
    })

    it('rejects a stale If-Match on the group endpoint', async () => {
      const response = await assertUnchanged(world.performer.id, world.performer.token, () =>
        post(`${GROUP_SAVE}?UserID=${world.performer.id}`, world.manager.token, BODY, {
          'if-match': '"0-x"',
        }),
      )
      assert.equal(response.status, 412)
    })
  })

  describe('audit trail', () => {
    it('records actor, member, client and masked changes', async () => {
      const member = world.performer
      await post(
        OWN_SAVE,
        member.token,
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900401","PhoneChatPPM":1.2}',
      )
      await post(
        `${GROUP_SAVE}?UserID=${member.id}`,
        world.manager.token,
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900402","PhoneChatPPM":1.3}',
      )
      const [latest, previous] = await server.store.listSettingsAudit(member.id, 2)
      assert.ok(latest, 'no latest audit entry')
      assert.ok(previous, 'no previous audit entry')
      assert.equal(latest.userId, member.id)
      assert.deepEqual(latest.actor, {
        kind: 'user',
        userId: world.manager.id,
        clientId: world.client.client_id,
      })
      assert.deepEqual(previous.actor, {
        kind: 'user',
        userId: member.id,
        clientId: world.client.client_id,
      })
      assert.ok(latest.at.getTime() >= previous.at.getTime())
      assert.equal(latest.version, previous.version + 1)
      assert.deepEqual(latest.changes, [
        { field: 'PhoneChatNumber', from: '+44*******401', to: '+44*******402' },
        { field: 'PhoneChatPPM', from: '1.2', to: '1.3' },
      ])
      assert.equal(JSON.stringify(latest.changes).includes('7700900'), false)
    })
  })
})
