import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import * as oauth from 'oauth4webapi'

import {
  createClient,
  createUser,
  setPassword,
  type NewClient,
} from '../../src/admin/operations.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { signInAndConsent, UserAgent } from '../helpers/user-agent.js'

const PASSWORD = 'correct horse battery staple'
const REDIRECT_URI = 'http://127.0.0.1:9/callback'
const SCOPES = 'account_phonechat_bookings account_information'
// The test server speaks plain HTTP on loopback, which oauth4webapi refuses by default.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const insecure = { [oauth.allowInsecureRequests]: true }

describe('OAuth 2.0 authorization code flow with oauth4webapi', () => {
  let server: TestServer
  let registered: NewClient
  let userId: number
  let as: oauth.AuthorizationServer
  let client: oauth.Client
  let clientAuth: oauth.ClientAuth

  before(async () => {
    server = await startTestServer()
    const user = await createUser(server.store, 'flora')
    userId = user.id
    await setPassword(server.store, user.id, PASSWORD)
    registered = await createClient(server.store, {
      name: 'Flow App',
      redirectUris: [REDIRECT_URI],
    })
    as = {
      issuer: server.url,
      authorization_endpoint: `${server.url}/OAuth/Authorize`,
      token_endpoint: `${server.url}/OAuth/token`,
      revocation_endpoint: `${server.url}/OAuth/revoke`,
      introspection_endpoint: `${server.url}/OAuth/introspect`,
    }
    client = { client_id: registered.client_id }
    clientAuth = oauth.ClientSecretBasic(registered.client_secret ?? '')
  })
  after(() => server.close())

  /** Runs authorize, sign-in, consent and the code exchange; returns the token response. */
  async function obtainTokens() {
    const codeVerifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const url = new URL(as.authorization_endpoint!)
    url.searchParams.set('response_type', 'code')
    url.searchParams.set('client_id', client.client_id)
    url.searchParams.set('redirect_uri', REDIRECT_URI)
    url.searchParams.set('scope', SCOPES)
    url.searchParams.set('state', state)
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
    url.searchParams.set('code_challenge_method', 'S256')

    const location = await signInAndConsent(
      new UserAgent(server.url),
      url.toString(),
      'flora',
      PASSWORD,
    )
    const params = oauth.validateAuthResponse(as, client, new URL(location), state)
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      REDIRECT_URI,
      codeVerifier,
      insecure,
    )
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.equal(response.headers.get('pragma'), 'no-cache')
    return oauth.processAuthorizationCodeResponse(as, client, response)
  }

  const callApi = (token: string) =>
    fetch(`${server.url}/v1/PhoneChat/GetSettings`, {
      headers: { authorization: `Bearer ${token}` },
    })

  it('issues tokens that call the API', async () => {
    const tokens = await obtainTokens()
    assert.equal(tokens.token_type, 'bearer')
    // The library derives expires_in from the expiry time, so it may round down to 1199.
    assert.ok(
      tokens.expires_in !== undefined && tokens.expires_in >= 1199 && tokens.expires_in <= 1200,
    )
    assert.equal(tokens.scope, SCOPES)
    assert.ok(tokens.refresh_token)
    assert.equal((await callApi(tokens.access_token)).status, 200)

    const me = await fetch(`${server.url}/v1/account/verifyCredentials`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    assert.deepEqual(await me.json(), {
      UserID: userId,
      GroupID: null,
      GroupName: null,
      IsGroupManager: false,
    })
  })

  it('rotates refresh tokens and revokes the family on reuse', async () => {
    const first = await obtainTokens()
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, first.refresh_token!, insecure),
    )
    assert.notEqual(refreshed.refresh_token, first.refresh_token)
    assert.notEqual(refreshed.access_token, first.access_token)
    assert.equal((await callApi(refreshed.access_token)).status, 200)

    const reuse = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      first.refresh_token!,
      insecure,
    )
    await assert.rejects(oauth.processRefreshTokenResponse(as, client, reuse), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError)
      assert.equal(error.error, 'invalid_grant')
      return true
    })
    assert.equal((await callApi(refreshed.access_token)).status, 401, 'the family survived a reuse')
    const afterReuse = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      refreshed.refresh_token!,
      insecure,
    )
    assert.equal(afterReuse.status, 400)
  })

  it('revokes tokens and reports them through introspection', async () => {
    const tokens = await obtainTokens()
    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, clientAuth, token, insecure),
      )
    const active = await introspect(tokens.access_token)
    assert.equal(active.active, true)
    assert.equal(active.client_id, client.client_id)
    assert.equal(active.sub, String(userId))
    assert.equal(active.username, 'flora')
    assert.equal(active.scope, SCOPES)
    assert.equal((await introspect(tokens.refresh_token!)).active, true)

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
    )
    assert.equal((await introspect(tokens.access_token)).active, false)
    assert.equal((await introspect(tokens.refresh_token!)).active, false)
    assert.equal((await callApi(tokens.access_token)).status, 401)
  })

  it('revokes a single access token', async () => {
    const tokens = await obtainTokens()
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, tokens.access_token, insecure),
    )
    assert.equal((await callApi(tokens.access_token)).status, 401)
  })
})
