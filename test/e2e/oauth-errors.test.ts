import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import Database from 'better-sqlite3'

import {
  createClient,
  createUser,
  revokeConsent,
  setPassword,
  type NewClient,
} from '../../src/admin/operations.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { signInAndConsent, UserAgent } from '../helpers/user-agent.js'

const PASSWORD = 'a long enough password'
const REDIRECT_URI = 'https://app.example/callback'
const PUBLIC_REDIRECT_URI = 'com.example.app:/callback'

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  return { verifier, challenge }
}

interface TokenResponse {
  access_token?: string
  refresh_token?: string
  error?: string
  error_description?: string
}

describe('OAuth 2.0 error handling', () => {
  let server: TestServer
  let confidential: NewClient
  let publicClient: NewClient
  let narrowClient: NewClient
  let implicitClient: NewClient

  before(async () => {
    server = await startTestServer()
    for (const nickname of ['gina', 'hugo', 'ines']) {
      const user = await createUser(server.store, nickname)
      await setPassword(server.store, user.id, PASSWORD)
    }
    confidential = await createClient(server.store, {
      name: 'Web <App>',
      redirectUris: [REDIRECT_URI],
    })
    publicClient = await createClient(server.store, {
      name: 'Mobile',
      redirectUris: [PUBLIC_REDIRECT_URI],
      isPublic: true,
    })
    narrowClient = await createClient(server.store, {
      name: 'Narrow',
      redirectUris: [REDIRECT_URI],
      allowedScopes: ['account_information'],
    })
    implicitClient = await createClient(server.store, {
      name: 'Legacy',
      redirectUris: [REDIRECT_URI],
      allowImplicit: true,
    })
    for (const nickname of ['kim', 'KIM', 'lena', 'maja']) {
      const user = await createUser(server.store, nickname)
      await setPassword(server.store, user.id, PASSWORD)
    }
  })
  after(() => server.close())

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL('/OAuth/Authorize', server.url)
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: confidential.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'account_phonechat_bookings',
      state: 'xyz',
      ...params,
    })) {
      if (value !== '') {
        url.searchParams.set(name, value)
      }
    }
    return url.toString()
  }

  async function tokenRequest(fields: Record<string, string>, basic?: [string, string]) {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (basic !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`
    }
    const response = await fetch(`${server.url}/OAuth/token`, {
      method: 'POST',
      headers,
      body: new URLSearchParams(fields).toString(),
    })
    return { response, body: (await response.json()) as TokenResponse }
  }

  async function codeFor(nickname: string, params: Record<string, string> = {}) {
    const location = await signInAndConsent(
      new UserAgent(server.url),
      authorizeUrl(params),
      nickname,
      PASSWORD,
    )
    const code = new URL(location).searchParams.get('code')
    assert.ok(code, `no code in ${location}`)
    return code
  }

  const confidentialAuth = (): [string, string] => [
    confidential.client_id,
    confidential.client_secret ?? '',
  ]

  describe('authorization endpoint', () => {
    it('shows an error page for an unregistered redirect URI', async () => {
      const response = await fetch(
        authorizeUrl({ redirect_uri: 'https://evil.example/callback' }),
        { redirect: 'manual' },
      )
      assert.equal(response.status, 400)
      assert.equal(response.headers.get('location'), null)
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
      assert.equal((await response.text()).includes('evil.example'), false)
    })

    it('shows an error page for an unknown client', async () => {
      const response = await fetch(authorizeUrl({ client_id: 'client_nobody' }), {
        redirect: 'manual',
      })
      assert.equal(response.status, 400)
      assert.equal(response.headers.get('location'), null)
    })

    it('redirects a scope beyond the allowance with invalid_scope', async () => {
      const response = await fetch(
        authorizeUrl({ client_id: narrowClient.client_id, scope: 'account_phonechat_bookings' }),
        { redirect: 'manual' },
      )
      assert.equal(response.status, 302)
      const location = new URL(response.headers.get('location') ?? '')
      assert.equal(location.origin + location.pathname, REDIRECT_URI)
      assert.equal(location.searchParams.get('error'), 'invalid_scope')
      assert.equal(location.searchParams.get('state'), 'xyz')
    })

    it('redirects an unknown scope and a bad response type', async () => {
      for (const [params, error] of [
        [{ scope: 'everything' }, 'invalid_scope'],
        [{ scope: '' }, 'invalid_scope'],
        [{ response_type: 'id_token' }, 'unsupported_response_type'],
        [
          { code_challenge: pkcePair().challenge, code_challenge_method: 'plain' },
          'invalid_request',
        ],
      ] as const) {
        const response = await fetch(authorizeUrl(params), { redirect: 'manual' })
        assert.equal(response.status, 302, JSON.stringify(params))
        assert.equal(
          new URL(response.headers.get('location') ?? '').searchParams.get('error'),
          error,
        )
      }
    })

    it('requires PKCE from a public client', async () => {
      const response = await fetch(
        authorizeUrl({ client_id: publicClient.client_id, redirect_uri: PUBLIC_REDIRECT_URI }),
        { redirect: 'manual' },
      )
      assert.equal(response.status, 302)
      const location = new URL(response.headers.get('location') ?? '')
      assert.equal(location.protocol, 'com.example.app:')
      assert.equal(location.searchParams.get('error'), 'invalid_request')
    })

    it('escapes the client name on the sign-in page', async () => {
      const response = await fetch(authorizeUrl({}))
      const page = await response.text()
      assert.ok(page.includes('Web &lt;App&gt;'))
      assert.equal(page.includes('Web <App>'), false)
      assert.equal(response.headers.get('x-frame-options'), 'DENY')
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/)
    })

    it('sets HttpOnly SameSite=Lax cookies without Secure over plain HTTP', async () => {
      const response = await fetch(authorizeUrl({}))
      const cookie = response.headers.getSetCookie().join('\n')
      assert.match(cookie, /phonechat_signin=/)
      assert.match(cookie, /HttpOnly/)
      assert.match(cookie, /SameSite=Lax/)
      assert.equal(/Secure/.test(cookie), false)
    })

    it('marks cookies Secure behind a trusted TLS proxy', async () => {
      const proxied = await startTestServer({ trustProxy: true })
      try {
        const client = await createClient(proxied.store, {
          name: 'Proxied',
          redirectUris: [REDIRECT_URI],
        })
        const url = new URL('/OAuth/Authorize', proxied.url)
        url.search = new URLSearchParams({
          response_type: 'code',
          client_id: client.client_id,
          redirect_uri: REDIRECT_URI,
          scope: 'account_phonechat_bookings',
        }).toString()
        const overTls = await fetch(url, { headers: { 'x-forwarded-proto': 'https' } })
        assert.match(overTls.headers.getSetCookie().join('\n'), /; Secure/)
        const plain = await fetch(url)
        assert.equal(/; Secure/.test(plain.headers.getSetCookie().join('\n')), false)
      } finally {
        await proxied.close()
      }
    })

    it('rejects a sign-in without the CSRF token', async () => {
      const agent = new UserAgent(server.url)
      const page = await (await agent.request(authorizeUrl({}))).text()
      const response = await agent.submit(page, {
        nickname: 'gina',
        password: PASSWORD,
        csrf_token: '',
      })
      assert.equal(response.status, 403)
      assert.equal(agent.hasCookie('phonechat_session'), false)
    })

    it('rejects a sign-in whose CSRF cookie is gone', async () => {
      const agent = new UserAgent(server.url)
      const page = await (await agent.request(authorizeUrl({}))).text()
      agent.forgetCookie('phonechat_signin')
      const response = await agent.submit(page, { nickname: 'gina', password: PASSWORD })
      assert.equal(response.status, 403)
    })

    it('rejects a consent without the CSRF token', async () => {
      const agent = new UserAgent(server.url)
      const signIn = await (await agent.request(authorizeUrl({}))).text()
      const afterSignIn = await agent.submit(signIn, { nickname: 'gina', password: PASSWORD })
      const consent = await (await agent.request(afterSignIn.headers.get('location') ?? '')).text()
      const response = await agent.submit(consent, { decision: 'allow', csrf_token: 'forged' })
      assert.equal(response.status, 403)
      assert.equal(response.headers.get('location'), null)
    })

    it('answers a wrong password like an unknown nickname', async () => {
      const statuses: number[] = []
      const pages: string[] = []
      for (const [nickname, password] of [
        ['gina', 'wrong password here'],
        ['nobody-by-this-name', 'wrong password here'],
      ]) {
        const agent = new UserAgent(server.url)
        const page = await (await agent.request(authorizeUrl({}))).text()
        const response = await agent.submit(page, { nickname: nickname!, password: password! })
        statuses.push(response.status)
        const text = await response.text()
        pages.push(text.replace(/value="[^"]*"/g, ''))
      }
      assert.deepEqual(statuses, [401, 401])
      assert.equal(pages[0], pages[1])
    })

    it('limits failed sign-ins per account', async () => {
      const agent = new UserAgent(server.url)
      let last = 0
      for (let attempt = 0; attempt < 6; attempt++) {
        const page = await (await agent.request(authorizeUrl({}))).text()
        last = (await agent.submit(page, { nickname: 'ines', password: 'not the password' })).status
      }
      assert.equal(last, 429)
      const page = await (await agent.request(authorizeUrl({}))).text()
      const blocked = await agent.submit(page, { nickname: 'ines', password: PASSWORD })
      assert.equal(blocked.status, 429)
      assert.ok(Number(blocked.headers.get('retry-after')) > 0)
    })

    it('redirects a cancelled consent with access_denied', async () => {
      const agent = new UserAgent(server.url)
      const signIn = await (await agent.request(authorizeUrl({}))).text()
      const afterSignIn = await agent.submit(signIn, { nickname: 'gina', password: PASSWORD })
      const consent = await (await agent.request(afterSignIn.headers.get('location') ?? '')).text()
      const response = await agent.submit(consent, { decision: 'cancel' })
      assert.equal(response.status, 302)
      const location = new URL(response.headers.get('location') ?? '')
      assert.equal(location.searchParams.get('error'), 'access_denied')
      assert.equal(location.searchParams.get('status'), 'cancelled')
      assert.equal(location.searchParams.get('state'), 'xyz')
      assert.equal(location.searchParams.get('code'), null)
    })

    it('refuses the implicit grant to a client not registered for it', async () => {
      const response = await fetch(authorizeUrl({ response_type: 'token' }), { redirect: 'manual' })
      assert.equal(response.status, 302)
      const location = new URL(response.headers.get('location') ?? '')
      assert.equal(new URLSearchParams(location.hash.slice(1)).get('error'), 'unauthorized_client')
    })

    it('refuses a public client the implicit grant at registration', async () => {
      await assert.rejects(
        createClient(server.store, {
          name: 'X',
          redirectUris: [PUBLIC_REDIRECT_URI],
          isPublic: true,
          allowImplicit: true,
        }),
        /implicit/,
      )
    })

    it('rejects a state that is not printable ASCII before sign-in', async () => {
      const response = await fetch(authorizeUrl({ state: 'caf\u00e9\n' }), { redirect: 'manual' })
      assert.equal(response.status, 302)
      const location = new URL(response.headers.get('location') ?? '')
      assert.equal(location.searchParams.get('error'), 'invalid_request')
      assert.equal(location.searchParams.get('state'), null)
    })

    it('binds the consent CSRF token to the request it approves', async () => {
      const agent = new UserAgent(server.url)
      const signIn = await (await agent.request(authorizeUrl({}))).text()
      const afterSignIn = await agent.submit(signIn, { nickname: 'gina', password: PASSWORD })
      const consent = await (await agent.request(afterSignIn.headers.get('location') ?? '')).text()
      const response = await agent.submit(consent, {
        decision: 'allow',
        client_id: implicitClient.client_id,
      })
      assert.equal(response.status, 403)
    })

    it('counts parallel failed sign-ins before checking them', async () => {
      const agents = Array.from({ length: 10 }, () => new UserAgent(server.url))
      const pages = await Promise.all(
        agents.map(async (agent) => (await agent.request(authorizeUrl({}))).text()),
      )
      const statuses = await Promise.all(
        agents.map((agent, index) =>
          agent.submit(pages[index]!, { nickname: 'lena', password: `wrong ${index}` }),
        ),
      ).then((responses) => responses.map((response) => response.status))
      assert.equal(statuses.filter((status) => status === 401).length, 5)
      assert.equal(statuses.filter((status) => status === 429).length, 5)
    })

    it('keeps the failures of accounts that differ only in case apart', async () => {
      const attempt = async (nickname: string, password: string) => {
        const agent = new UserAgent(server.url)
        const page = await (await agent.request(authorizeUrl({}))).text()
        return (await agent.submit(page, { nickname, password })).status
      }
      for (let round = 0; round < 3; round++) {
        await attempt('kim', 'not the password')
        await attempt('kim', 'not the password')
        assert.equal(await attempt('KIM', PASSWORD), 303)
      }
      assert.equal(await attempt('kim', PASSWORD), 429)
    })

    it('issues an implicit grant token in the fragment', async () => {
      const location = await signInAndConsent(
        new UserAgent(server.url),
        authorizeUrl({ response_type: 'token', client_id: implicitClient.client_id }),
        'gina',
        PASSWORD,
      )
      const url = new URL(location)
      assert.equal(url.search, '')
      const fragment = new URLSearchParams(url.hash.slice(1))
      assert.equal(fragment.get('token_type'), 'Bearer')
      assert.equal(fragment.get('expires_in'), '1200')
      assert.equal(fragment.get('state'), 'xyz')
      const api = await fetch(`${server.url}/v1/PhoneChat/GetSettings`, {
        headers: { authorization: `Bearer ${fragment.get('access_token') ?? ''}` },
      })
      assert.equal(api.status, 200)
    })
  })

  describe('token endpoint', () => {
    it('rejects a wrong client secret with 401 invalid_client', async () => {
      const code = await codeFor('gina')
      const { response, body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        [confidential.client_id, 'not-the-secret'],
      )
      assert.equal(response.status, 401)
      assert.equal(body.error, 'invalid_client')
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.equal(response.headers.get('pragma'), 'no-cache')
    })

    it('rejects a confidential client without its secret', async () => {
      const code = await codeFor('gina')
      const { response, body } = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: confidential.client_id,
      })
      assert.equal(response.status, 401)
      assert.equal(body.error, 'invalid_client')
    })

    it('accepts the secret in the body', async () => {
      const code = await codeFor('gina')
      const { response, body } = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: confidential.client_id,
        client_secret: confidential.client_secret ?? '',
      })
      assert.equal(response.status, 200)
      assert.ok(body.access_token)
    })

    it('rejects a reused code and revokes its tokens', async () => {
      const code = await codeFor('gina')
      const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }
      const first = await tokenRequest(fields, confidentialAuth())
      assert.equal(first.response.status, 200)
      const second = await tokenRequest(fields, confidentialAuth())
      assert.equal(second.response.status, 400)
      assert.equal(second.body.error, 'invalid_grant')
      const api = await fetch(`${server.url}/v1/PhoneChat/GetSettings`, {
        headers: { authorization: `Bearer ${first.body.access_token ?? ''}` },
      })
      assert.equal(api.status, 401)
    })

    it('rejects an expired code', async () => {
      const code = await codeFor('gina')
      const db = new Database(server.databasePath)
      db.prepare('UPDATE authorization_codes SET expires_at = 0 WHERE code_hash = ?').run(
        createHash('sha256').update(code).digest('hex'),
      )
      db.close()
      const { response, body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      assert.equal(response.status, 400)
      assert.equal(body.error, 'invalid_grant')
    })

    it('rejects a redirect URI that differs from the authorization request', async () => {
      const code = await codeFor('gina')
      const { body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example/other' },
        confidentialAuth(),
      )
      assert.equal(body.error, 'invalid_grant')
    })

    it('checks the PKCE verifier', async () => {
      const pkce = pkcePair()
      const params = { code_challenge: pkce.challenge, code_challenge_method: 'S256' }
      const base = { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI }

      const missing = await tokenRequest(
        { ...base, code: await codeFor('hugo', params) },
        confidentialAuth(),
      )
      assert.equal(missing.response.status, 400)
      assert.equal(missing.body.error, 'invalid_grant')

      const wrong = await tokenRequest(
        { ...base, code: await codeFor('hugo', params), code_verifier: pkcePair().verifier },
        confidentialAuth(),
      )
      assert.equal(wrong.body.error, 'invalid_grant')

      const right = await tokenRequest(
        { ...base, code: await codeFor('hugo', params), code_verifier: pkce.verifier },
        confidentialAuth(),
      )
      assert.equal(right.response.status, 200)
    })

    it('lets a public client exchange a code with PKCE and no secret', async () => {
      const pkce = pkcePair()
      const url = new URL(
        authorizeUrl({
          client_id: publicClient.client_id,
          redirect_uri: PUBLIC_REDIRECT_URI,
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
        }),
      )
      const location = await signInAndConsent(
        new UserAgent(server.url),
        url.toString(),
        'hugo',
        PASSWORD,
      )
      const code = new URL(location).searchParams.get('code') ?? ''
      const { response, body } = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: PUBLIC_REDIRECT_URI,
        client_id: publicClient.client_id,
        code_verifier: pkce.verifier,
      })
      assert.equal(response.status, 200, JSON.stringify(body))
      assert.ok(body.refresh_token)
    })

    it('answers an expired refresh token with 401 refresh_token_has_expired', async () => {
      const code = await codeFor('gina')
      const { body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      const db = new Database(server.databasePath)
      db.prepare('UPDATE refresh_tokens SET expires_at = 0 WHERE token_hash = ?').run(
        createHash('sha256')
          .update(body.refresh_token ?? '')
          .digest('hex'),
      )
      db.close()
      const refresh = await tokenRequest(
        { grant_type: 'refresh_token', refresh_token: body.refresh_token ?? '' },
        confidentialAuth(),
      )
      assert.equal(refresh.response.status, 401)
      assert.equal(refresh.body.error, 'refresh_token_has_expired')
    })

    it('refuses a refresh after the consent is withdrawn', async () => {
      const code = await codeFor('hugo', {
        scope: 'account_phonechat_bookings account_information',
      })
      const { body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      const hugo = (await server.store.findUserCredentials('hugo'))!.user
      await revokeConsent(server.store, hugo.id, confidential.client_id, ['account_information'])
      const api = await fetch(`${server.url}/v1/PhoneChat/GetSettings`, {
        headers: { authorization: `Bearer ${body.access_token ?? ''}` },
      })
      assert.equal(api.status, 401)
      const refresh = await tokenRequest(
        { grant_type: 'refresh_token', refresh_token: body.refresh_token ?? '' },
        confidentialAuth(),
      )
      assert.equal(refresh.response.status, 400)
      assert.equal(refresh.body.error, 'invalid_grant')
    })

    it('rejects an unsupported grant type and repeated parameters', async () => {
      const unsupported = await tokenRequest(
        { grant_type: 'password', username: 'gina' },
        confidentialAuth(),
      )
      assert.equal(unsupported.response.status, 400)
      assert.equal(unsupported.body.error, 'unsupported_grant_type')

      const response = await fetch(`${server.url}/OAuth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&grant_type=authorization_code',
      })
      assert.equal(response.status, 400)
      assert.equal(((await response.json()) as TokenResponse).error, 'invalid_request')
    })

    it('rejects a JSON body with invalid_request', async () => {
      const response = await fetch(`${server.url}/OAuth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"grant_type":"authorization_code"}',
      })
      assert.equal(response.status, 400)
      assert.equal(((await response.json()) as TokenResponse).error, 'invalid_request')
    })
  })

  describe('grant checks', () => {
    it('refuses a code after the consent is withdrawn', async () => {
      const code = await codeFor('hugo')
      const hugo = (await server.store.findUserCredentials('hugo'))!.user
      await revokeConsent(server.store, hugo.id, confidential.client_id, undefined)
      const { response, body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      assert.equal(response.status, 400)
      assert.equal(body.error, 'invalid_grant')
    })

    it('keeps a code void after consent is given again', async () => {
      const code = await codeFor('maja')
      const maja = (await server.store.findUserCredentials('maja'))!.user
      await revokeConsent(server.store, maja.id, confidential.client_id, undefined)
      await codeFor('maja')
      const { response, body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      assert.equal(response.status, 400)
      assert.equal(body.error, 'invalid_grant')
    })

    it('rejects malformed Basic credentials', async () => {
      const response = await fetch(`${server.url}/OAuth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'Basic !!!!',
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: 'x',
          client_id: confidential.client_id,
          client_secret: confidential.client_secret ?? '',
        }).toString(),
      })
      assert.equal(response.status, 401)
      assert.equal(((await response.json()) as TokenResponse).error, 'invalid_client')
    })

    it('exchanges a code whose request omitted redirect_uri', async () => {
      const code = await codeFor('gina', { redirect_uri: '' })
      const { response, body } = await tokenRequest(
        { grant_type: 'authorization_code', code },
        confidentialAuth(),
      )
      assert.equal(response.status, 200, JSON.stringify(body))
    })

    it('rejects a changed scope on refresh and keeps the token', async () => {
      const code = await codeFor('gina')
      const { body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      const refreshToken = body.refresh_token ?? ''
      for (const scope of [
        'account_phonechat_bookings account_information',
        'account_information',
        '\u0001',
        '',
        'account_phonechat_bookings account_phonechat_bookings',
      ]) {
        const changed = await tokenRequest(
          { grant_type: 'refresh_token', refresh_token: refreshToken, scope },
          confidentialAuth(),
        )
        assert.equal(changed.response.status, 400, scope)
        assert.equal(changed.body.error, 'invalid_scope', scope)
      }
      const same = await tokenRequest(
        {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          scope: 'account_phonechat_bookings',
        },
        confidentialAuth(),
      )
      assert.equal(same.response.status, 200)
    })

    it('rejects two client authentication methods', async () => {
      const code = await codeFor('gina')
      const { response, body } = await tokenRequest(
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT_URI,
          client_id: narrowClient.client_id,
          client_secret: narrowClient.client_secret ?? '',
        },
        confidentialAuth(),
      )
      assert.equal(response.status, 400)
      assert.equal(body.error, 'invalid_request')
    })

    it('authenticates the client before judging the token', async () => {
      const { response, body } = await tokenRequest(
        { grant_type: 'refresh_token', refresh_token: 'whatever' },
        [confidential.client_id, 'wrong'],
      )
      assert.equal(response.status, 401)
      assert.equal(body.error, 'invalid_client')
    })
  })

  describe('revocation and introspection', () => {
    it('refuses introspection to a public client', async () => {
      const response = await fetch(`${server.url}/OAuth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: 'abc', client_id: publicClient.client_id }).toString(),
      })
      assert.equal(response.status, 401)
    })

    it('require client authentication', async () => {
      for (const path of ['/OAuth/revoke', '/OAuth/introspect']) {
        const response = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'token=abc',
        })
        assert.equal(response.status, 401, path)
        assert.equal(((await response.json()) as TokenResponse).error, 'invalid_client', path)
      }
    })

    it("do not reveal another client's tokens", async () => {
      const code = await codeFor('gina')
      const { body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        confidentialAuth(),
      )
      const response = await fetch(`${server.url}/OAuth/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${narrowClient.client_id}:${narrowClient.client_secret ?? ''}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token: body.access_token ?? '' }).toString(),
      })
      assert.deepEqual(await response.json(), { active: false })
    })
  })
})
