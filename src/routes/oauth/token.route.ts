import OAuth2Server, { OAuthError } from '@node-oauth/oauth2-server'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'

import { hashSecret } from '../../auth/secrets.js'
import {
  authenticateClient,
  authenticateClientCredentials,
  formField,
  OAuthErrorResponse,
  type FormFields,
} from '../../oauth/client-authentication.js'
import type { ClientRecord } from '../../storage/store.js'
import type { OAuthContext } from './context.js'

/** Token responses must not be cached (RFC 6749 section 5.1). */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

function sendOAuthError(reply: FastifyReply, error: OAuthErrorResponse): FastifyReply {
  return reply
    .code(error.status)
    .headers({ ...NO_STORE, ...error.headers })
    .send({ error: error.error, error_description: error.message })
}

/** Registers the token, revocation (RFC 7009) and introspection (RFC 7662) endpoints. */
export const tokenRoutes: FastifyPluginAsync<OAuthContext> = async (app, context) => {
  const { store, now } = context

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OAuthErrorResponse) {
      request.log.info({ error: error.error, status: error.status }, 'OAuth request rejected')
      return sendOAuthError(reply, error)
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err: error }, 'OAuth request failed')
      return sendOAuthError(
        reply,
        new OAuthErrorResponse(500, 'server_error', 'the server failed; try again later'),
      )
    }
    return sendOAuthError(
      reply,
      new OAuthErrorResponse(status, 'invalid_request', (error as Error).message),
    )
  })

  app.post('/OAuth/token', async (request, reply) => {
    const form = formOf(request.body)
    const grantType = formField(form, 'grant_type')
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw new OAuthErrorResponse(
        400,
        grantType === undefined ? 'invalid_request' : 'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token',
      )
    }
    // The library's Basic parser does not undo the form encoding that RFC
    // 6749 section 2.3.1 requires, so the client is authenticated here and
    // handed to the library as decoded body parameters instead.
    const { client, secret } = await authenticateClientCredentials(store, request, form)
    rejectRepeatedParameters(form)
    const extra: Record<string, string> = {}
    if (grantType === 'refresh_token') {
      await checkRefreshRequest(context, client, form)
    } else {
      const redirectUri = await checkCodeRedirectUri(context, client, form)
      if (redirectUri !== undefined) {
        extra.redirect_uri = redirectUri
      }
    }
    const headers = { ...request.headers }
    delete headers.authorization
    const oauthRequest = new OAuth2Server.Request({
      method: 'POST',
      headers: headers as Record<string, string>,
      query: {},
      body: {
        ...form,
        ...extra,
        client_id: client.clientId,
        ...(secret === null ? {} : { client_secret: secret }),
      },
    })
    const oauthResponse = new OAuth2Server.Response({ headers: {} })
    try {
      await context.server.token(oauthRequest, oauthResponse)
    } catch (error) {
      if (error instanceof OAuthError) {
        const status = error.name === 'invalid_client' ? 401 : error.code
        if (status >= 500) {
          request.log.error({ err: error }, 'token request failed')
          throw error
        }
        throw new OAuthErrorResponse(
          status,
          error.name,
          error.message,
          status === 401
            ? {
                'www-authenticate': 'Basic realm="phonechat-api"',
              }
            : {},
        )
      }
      throw error
    }
    return reply.code(200).headers(NO_STORE).send(oauthResponse.body)
  })

  app.post('/OAuth/revoke', async (request, reply) => {
    const form = formOf(request.body)
    const client = await authenticateClient(store, request, form)
    const token = requireToken(form)
    const hash = hashSecret(token)
    const refresh = await store.findRefreshToken(hash)
    if (refresh !== null && refresh.clientId === client.clientId) {
      // Revoking a refresh token also ends the access tokens of its grant (RFC 7009 section 2.1).
      await store.revokeTokenFamily(refresh.familyId, now())
    } else {
      const access = await store.findAccessToken(hash)
      if (access !== null && access.clientId === client.clientId) {
        await store.revokeAccessToken(hash, now())
      }
    }
    // RFC 7009 section 2.2: the response is 200 also for unknown tokens.
    return reply.code(200).headers(NO_STORE).send()
  })

  app.post('/OAuth/introspect', async (request, reply) => {
    const form = formOf(request.body)
    const client = await authenticateClient(store, request, form)
    if (client.isPublic) {
      // RFC 7662 section 2.1 needs an authenticated caller, and a public client has no secret.
      throw new OAuthErrorResponse(
        401,
        'invalid_client',
        'public clients cannot use introspection',
        {
          'www-authenticate': 'Basic realm="phonechat-api"',
        },
      )
    }
    const hash = hashSecret(requireToken(form))
    const time = now().getTime()
    const access = await store.findAccessToken(hash)
    const refresh = access === null ? await store.findRefreshToken(hash) : null
    const record = access ?? refresh
    const active =
      record !== null &&
      record.clientId === client.clientId &&
      record.revokedAt === null &&
      record.expiresAt.getTime() > time &&
      (refresh === null || refresh.rotatedAt === null)
    reply.code(200).headers(NO_STORE)
    if (!active) {
      return reply.send({ active: false })
    }
    const user = await store.findUser(record.userId)
    return reply.send({
      active: true,
      scope: record.scopes.join(' '),
      client_id: record.clientId,
      ...(user === null ? {} : { username: user.nickname }),
      token_type: access === null ? 'refresh_token' : 'Bearer',
      exp: Math.floor(record.expiresAt.getTime() / 1000),
      iat: Math.floor(record.issuedAt.getTime() / 1000),
      sub: String(record.userId),
    })
  })
}

function formOf(body: unknown): FormFields {
  // The form parser returns objects without a prototype; anything else came from another parser.
  if (body === null || typeof body !== 'object' || Object.getPrototypeOf(body) !== null) {
    throw new OAuthErrorResponse(
      400,
      'invalid_request',
      'send the parameters as application/x-www-form-urlencoded',
    )
  }
  return body as FormFields
}

function requireToken(form: FormFields): string {
  const token = formField(form, 'token')
  if (token === undefined) {
    throw new OAuthErrorResponse(400, 'invalid_request', 'the token parameter is required')
  }
  return token
}

/** Rejects any parameter given twice; RFC 6749 section 3.2 allows each once. */
function rejectRepeatedParameters(form: FormFields): void {
  for (const [name, value] of Object.entries(form)) {
    if (Array.isArray(value)) {
      throw new OAuthErrorResponse(400, 'invalid_request', `${name} is given more than once`)
    }
  }
}

/**
 * Checks a code exchange's redirect_uri against the code's. A mismatch is
 * `invalid_grant`, as RFC 6749 section 5.2 names it (the library would return
 * `invalid_request`). When the parameter is missing and the client has one
 * registered URI, the authorization request may have omitted it too
 * (section 4.1.3), so that URI is returned to hand to the library.
 * NOTE: a client that sent redirect_uri when authorizing may then omit it here.
 */
async function checkCodeRedirectUri(
  context: OAuthContext,
  client: ClientRecord,
  form: FormFields,
): Promise<string | undefined> {
  const code = formField(form, 'code')
  const redirectUri = formField(form, 'redirect_uri')
  const record =
    code === undefined ? null : await context.store.findAuthorizationCode(hashSecret(code))
  if (record === null || record.clientId !== client.clientId) {
    return undefined
  }
  if (redirectUri === undefined) {
    return client.redirectUris.length === 1 ? record.redirectUri : undefined
  }
  if (record.redirectUri !== redirectUri) {
    throw new OAuthErrorResponse(
      400,
      'invalid_grant',
      'redirect_uri differs from the one in the authorization request',
    )
  }
  return undefined
}

/** Scope strings: space-separated scope tokens (RFC 6749 section 3.3). */
const SCOPE_SYNTAX = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/

/**
 * Checks a refresh request before the library handles it, because the library
 * rotates the refresh token before it checks the scope. A new refresh token
 * must keep the old one's scope (RFC 6749 section 6), so `scope` may only
 * repeat it. An expired token gets 401 `refresh_token_has_expired`, the error
 * the platform documents, instead of the library's `invalid_grant`.
 */
async function checkRefreshRequest(
  context: OAuthContext,
  client: ClientRecord,
  form: FormFields,
): Promise<void> {
  const token = formField(form, 'refresh_token')
  const record =
    token === undefined ? null : await context.store.findRefreshToken(hashSecret(token))
  if (record === null || record.clientId !== client.clientId) {
    return
  }
  // Read raw: formField treats an empty value as absent, but the library does not.
  const scope = form.scope
  if (typeof scope === 'string') {
    const names = scope.split(' ')
    const requested = new Set(names)
    const same =
      SCOPE_SYNTAX.test(scope) &&
      names.length === requested.size &&
      requested.size === record.scopes.length &&
      record.scopes.every((name) => requested.has(name))
    if (!same) {
      throw new OAuthErrorResponse(
        400,
        'invalid_scope',
        'a refresh keeps the scope of the grant; omit scope or repeat it unchanged',
      )
    }
  }
  const live = record.revokedAt === null && record.rotatedAt === null
  if (live && record.expiresAt.getTime() <= context.now().getTime()) {
    throw new OAuthErrorResponse(
      401,
      'refresh_token_has_expired',
      'the refresh token has expired; sign in again',
    )
  }
}
