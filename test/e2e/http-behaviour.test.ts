import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { buildApp } from '../../src/app.js'
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Store } from '../../src/storage/store.js'
import { captureLogs } from '../helpers/log-capture.js'
import {
  bearer,
  seedWorld,
  startTestServer,
  type TestServer,
  type World,
} from '../helpers/test-server.js'

const PATH = '/v1/PhoneChat/GetSettings'

interface Problem {
  detail: string
  code: string
  requestId: string
}

describe('HTTP behaviour', () => {
  let server: TestServer
  let world: World

  before(async () => {
    server = await startTestServer()
    world = await seedWorld(server.store)
  })
  after(() => server.close())

  describe('X-Request-Id', () => {
    it('echoes a sane incoming id', async () => {
      const response = await fetch(server.url + PATH, {
        headers: { ...bearer(world.performer.token), 'x-request-id': 'trace-42.a:b' },
      })
      assert.equal(response.headers.get('x-request-id'), 'trace-42.a:b')
    })

    it('replaces an unsafe or overlong id with a UUID', async () => {
      for (const incoming of ['has space', 'a'.repeat(129), 'semi;colon', '<script>']) {
        const response = await fetch(server.url + PATH, {
          headers: { ...bearer(world.performer.token), 'x-request-id': incoming },
        })
        const id = response.headers.get('x-request-id') ?? ''
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, incoming)
      }
    })

    it('is sent on errors and matches the body', async () => {
      const response = await fetch(server.url + PATH, { headers: { 'x-request-id': 'err-1' } })
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('x-request-id'), 'err-1')
      assert.equal(((await response.json()) as Problem).requestId, 'err-1')
    })

    it('is sent on 404 and health responses', async () => {
      for (const path of ['/nowhere', '/healthz']) {
        const response = await fetch(server.url + path, { headers: { 'x-request-id': 'id-7' } })
        assert.equal(response.headers.get('x-request-id'), 'id-7', path)
      }
    })
  })

  describe('methods', () => {
    it('answers HEAD like GET without a body', async () => {
      const get = await fetch(server.url + PATH, { headers: bearer(world.performer.token) })
      const head = await fetch(server.url + PATH, {
        method: 'HEAD',
        headers: bearer(world.performer.token),
      })
      assert.equal(head.status, 200)
      assert.equal(head.headers.get('content-type'), get.headers.get('content-type'))
      assert.equal(head.headers.get('content-length'), get.headers.get('content-length'))
      assert.equal(await head.text(), '')
    })

    it('answers HEAD without credentials with 401', async () => {
      const head = await fetch(server.url + PATH, { method: 'HEAD' })
      assert.equal(head.status, 401)
      assert.equal(head.headers.get('www-authenticate'), 'Bearer realm="phonechat-api"')
    })

    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      for (const path of [PATH, '/v1/groups/phonechat/getsettings?UserID=1']) {
        it(`answers ${method} ${path} with 405 and Allow`, async () => {
          const response = await fetch(server.url + path, {
            method,
            headers: bearer(world.performer.token),
          })
          assert.equal(response.status, 405)
          assert.equal(response.headers.get('allow'), 'GET, HEAD')
          assert.equal(((await response.json()) as Problem).code, 'method_not_allowed')
        })
      }
    }

    it('renders 404 and 405 as problem XML when XML was negotiated', async () => {
      for (const [method, path, status] of [
        ['GET', '/v1/nowhere', 404],
        ['PUT', PATH, 405],
      ] as const) {
        const response = await fetch(server.url + path, {
          method,
          headers: { accept: 'application/xml' },
        })
        assert.equal(response.status, status)
        assert.equal(response.headers.get('content-type'), 'application/problem+xml; charset=utf-8')
        assert.equal(response.headers.get('vary'), 'Accept')
      }
    })

    it('answers an unknown path with 404 problem details', async () => {
      const response = await fetch(`${server.url}/v1/PhoneChat/Nothing`)
      assert.equal(response.status, 404)
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8')
      assert.equal(((await response.json()) as Problem).code, 'not_found')
    })
  })

  describe('logging', () => {
    it('never logs tokens, API keys or phone numbers', async () => {
      await fetch(`${server.url}${PATH}?apiKey=${world.client.api_key}`, {
        headers: bearer(world.performer.token),
      })
      await fetch(`${server.url}${PATH}?access_token=${world.performer.token}`)
      await fetch(`${server.url}${PATH}?api%4Bey=${world.client.api_key}`, {
        headers: bearer(world.performer.token),
      })
      await fetch(`${server.url}${PATH}?access%5Ftoken=${world.manager.token}`)
      await fetch(`${server.url}/nowhere?client%5Fsecret=${world.client.client_secret ?? ''}`)
      await fetch(`${server.url}/v1/Groups/PhoneChat/GetSettings?UserID=${world.performer.id}`, {
        headers: { ...bearer(world.manager.token), 'x-apikey': world.client.api_key },
      })
      const text = server.logs.text()
      assert.ok(text.includes('"requestId"'), 'the capture saw no request logs')
      assert.equal(text.includes(world.performer.token), false, 'a token reached the log')
      assert.equal(text.includes(world.manager.token), false, 'a token reached the log')
      assert.equal(text.includes(world.client.api_key), false, 'an API key reached the log')
      assert.equal(
        text.includes(world.client.client_secret ?? '-'),
        false,
        'a client secret reached the log',
      )
      assert.equal(text.includes('7700900'), false, 'a phone number reached the log')
    })
  })

  describe('malformed requests', () => {
    /** Sends raw bytes and returns the raw response. */
    async function sendRaw(request: string): Promise<string> {
      const { port } = new URL(server.url)
      const socket = connect(Number(port), '127.0.0.1')
      socket.write(request)
      const chunks: Buffer[] = []
      for await (const chunk of socket) {
        chunks.push(chunk as Buffer)
      }
      return Buffer.concat(chunks).toString('utf8')
    }

    it('answers a bad percent-encoding with problem details', async () => {
      const response = await fetch(`${server.url}/v1/PhoneChat/GetSettings%zz`)
      assert.equal(response.status, 400)
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8')
      assert.ok(response.headers.get('x-request-id'))
      assert.equal(((await response.json()) as Problem).code, 'invalid_request')
    })

    it('answers a request Node cannot parse with problem details', async () => {
      const raw = await sendRaw(
        `GET ${PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${world.performer.token}\r\nBroken header line\r\n\r\n`,
      )
      assert.match(raw, /^HTTP\/1.1 400 /)
      assert.match(raw, /content-type: application\/problem\+json/i)
      assert.match(raw, /x-request-id: [0-9a-f-]{36}/i)
      assert.match(raw, /"code":"invalid_request"/)
      assert.equal(server.logs.text().includes(world.performer.token), false)
    })

    it('rejects two Authorization headers with 400', async () => {
      const raw = await sendRaw(
        `GET ${PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${world.performer.token}\r\n` +
          `Authorization: Bearer ${world.manager.token}\r\nConnection: close\r\n\r\n`,
      )
      assert.match(raw, /^HTTP\/1.1 400 /)
      assert.match(raw, /"code":"invalid_request"/)
    })

    it('rejects a tab after the scheme with 400', async () => {
      const response = await fetch(server.url + PATH, {
        headers: { authorization: `Bearer\t${world.performer.token}` },
      })
      assert.equal(response.status, 400)
    })

    it('sees a parameter after a thousand others', async () => {
      const filler = Array.from({ length: 1000 }, (_, index) => `f${index}=1`).join('&')
      const response = await fetch(
        `${server.url}/v1/Groups/PhoneChat/GetSettings?UserID=${world.performer.id}&${filler}&UserID=${world.outsider.id}`,
        { headers: bearer(world.manager.token) },
      )
      assert.equal(response.status, 400)
      assert.equal(((await response.json()) as Problem).code, 'invalid_parameter')
    })

    it('answers a path with two trailing slashes with 404', async () => {
      const response = await fetch(`${server.url}${PATH}//`, {
        headers: bearer(world.performer.token),
      })
      assert.equal(response.status, 404)
    })

    it('answers an encoded path like the router', async () => {
      const response = await fetch(`${server.url}/v1/PhoneChat/GetSetting%73`, { method: 'POST' })
      assert.equal(response.status, 405)
    })
  })

  describe('health', () => {
    it('answers 200 while the database answers', async () => {
      const response = await fetch(`${server.url}/healthz`)
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { status: 'ok' })
    })

    it('answers 503 when the database does not', async () => {
      const broken = await startBrokenServer({
        ping: () => Promise.reject(new Error('disk I/O error')),
      })
      try {
        const response = await fetch(`${broken.url}/healthz`)
        assert.equal(response.status, 503)
        const problem = (await response.json()) as Problem
        assert.equal(problem.code, 'service_unavailable')
        assert.equal(JSON.stringify(problem).includes('disk I/O'), false)
      } finally {
        await broken.close()
      }
    })
  })

  describe('server errors', () => {
    it('hides internals of a 500 and logs them', async () => {
      const secret = 'SQLITE_CORRUPT at /var/lib/secret/path'
      const broken = await startBrokenServer({
        findAccessToken: () => Promise.reject(new Error(secret)),
      })
      try {
        for (const accept of ['application/json', 'application/xml']) {
          const response = await fetch(`${broken.url}${PATH}`, {
            headers: { ...bearer('x'.repeat(43)), accept, 'x-request-id': `boom-${accept.length}` },
          })
          assert.equal(response.status, 500)
          const body = await response.text()
          assert.equal(body.includes('SQLITE'), false, accept)
          assert.equal(body.includes('/var/lib'), false, accept)
          assert.ok(body.includes('internal_error'), accept)
          assert.ok(body.includes(`boom-${accept.length}`), accept)
        }
        assert.ok(broken.logs.text().includes(secret), 'the cause was not logged')
      } finally {
        await broken.close()
      }
    })
  })
})

/** Starts an app whose store fails in the given methods. */
async function startBrokenServer(failures: Partial<Store>) {
  const directory = mkdtempSync(join(tmpdir(), 'phonechat-broken-'))
  const real = new SqliteStore(join(directory, 'test.sqlite'))
  await real.migrate()
  const store = new Proxy(real, {
    get(target, property, receiver) {
      const failing = (failures as Record<string | symbol, unknown>)[property]
      if (failing !== undefined) {
        return failing
      }
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
  const logs = captureLogs()
  const app = await buildApp({ store, logger: logs.logger, phoneNumberCheck: 'possible' })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    logs,
    async close() {
      await app.close()
      await real.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
