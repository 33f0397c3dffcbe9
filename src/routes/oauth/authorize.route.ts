import OAuth2Server, { OAuthError } from '@node-oauth/oauth2-server'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

import { KNOWN_SCOPES } from '../../auth/scopes.js'
import { generateSecret, hashSecret } from '../../auth/secrets.js'
import { verifyPassword } from '../../auth/passwords.js'
import {
  buildRedirect,
  checkAuthorizationRequest,
  type AuthorizationFailure,
  type AuthorizationRequest,
} from '../../oauth/authorization-request.js'
import type { FormFields } from '../../oauth/client-authentication.js'
import { ACCESS_TOKEN_LIFETIME_SECONDS, newFamilyId, type OAuthUser } from '../../oauth/model.js'
import {
  PAGE_HEADERS,
  renderConsentPage,
  renderErrorPage,
  renderSignInPage,
} from '../../oauth/pages.js'
import type { OAuthContext } from './context.js'

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(body)
}

function sendFailure(
  request: FastifyRequest,
  reply: FastifyReply,
  failure: AuthorizationFailure,
): FastifyReply {
  if (failure.kind === 'page') {
    request.log.info({ reason: failure.message }, 'authorization request rejected')
    return sendPage(reply, 400, renderErrorPage('This sign-in link does not work', failure.message))
  }
  request.log.info({ error: failure.error }, 'authorization request redirected with an error')
  const location = buildRedirect(failure.redirectUri, failure.responseType, {
    error: failure.error,
    error_description: failure.description,
    state: failure.state,
  })
  return reply.headers({ 'cache-control': 'no-store' }).redirect(location, 302)
}

function scopeDescriptions(scopes: readonly string[]): string[] {
  return scopes.map((scope) => KNOWN_SCOPES[scope] ?? scope)
}

/** Registers the sign-in and consent pages of the authorization endpoint (RFC 6749 section 3.1). */
export const authorizeRoutes: FastifyPluginAsync<OAuthContext> = async (app, context) => {
  const { store, signer, limiter, now } = context

  const showConsent = async (
    request: FastifyRequest,
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    userId: number,
    csrfToken: string,
  ) => {
    const user = await store.findUser(userId)
    if (user === null) {
      signer.endSession(request, reply)
      return sendPage(reply, 401, renderErrorPage('Sign in again', 'Your account was not found.'))
    }
    return sendPage(
      reply,
      200,
      renderConsentPage({
        clientName: authorization.client.name,
        nickname: user.nickname,
        scopeDescriptions: scopeDescriptions(authorization.scopes),
        params: authorization.params,
        csrfToken,
      }),
    )
  }

  app.get('/OAuth/Authorize', async (request, reply) => {
    const checked = await checkAuthorizationRequest(store, request.query as Record<string, unknown>)
    if (!checked.ok) {
      return sendFailure(request, reply, checked.failure)
    }
    const session = signer.readSession(request, now())
    if (session === null) {
      return sendPage(
        reply,
        200,
        renderSignInPage({
          clientName: checked.request.client.name,
          params: checked.request.params,
          csrfToken: signer.signInCsrfToken(request, reply),
        }),
      )
    }
    return showConsent(
      request,
      reply,
      checked.request,
      session.userId,
      signer.consentCsrfToken(session, checked.request.params),
    )
  })

  app.post('/OAuth/Authorize/SignIn', async (request, reply) => {
    const form = (request.body ?? {}) as FormFields
    const checked = await checkAuthorizationRequest(store, form)
    if (!checked.ok) {
      return sendFailure(request, reply, checked.failure)
    }
    const csrf = typeof form.csrf_token === 'string' ? form.csrf_token : undefined
    if (!signer.checkSignInCsrfToken(request, csrf)) {
      request.log.info({ reason: 'csrf' }, 'sign-in rejected')
      return sendPage(
        reply,
        403,
        renderErrorPage(
          'The form has expired',
          'Go back to the application and start signing in again.',
        ),
      )
    }
    const nickname = (typeof form.nickname === 'string' ? form.nickname : '').normalize('NFC')
    const password = typeof form.password === 'string' ? form.password : ''
    const credentials = await store.findUserCredentials(nickname)
    // Counted per user ID: nicknames differ by case, so a name would mix accounts.
    const accountKey = credentials === null ? `unknown:${nickname}` : `user:${credentials.user.id}`
    const attempt = await limiter.begin(accountKey, request.ip)
    if ('retryAfter' in attempt) {
      request.log.info({ reason: 'rate_limited', address: request.ip }, 'sign-in rejected')
      reply.header('retry-after', String(attempt.retryAfter))
      return sendPage(
        reply,
        429,
        renderErrorPage(
          'Too many attempts',
          `Wait ${Math.ceil(attempt.retryAfter / 60)} minutes and try again.`,
        ),
      )
    }
    const valid = await verifyPassword(password, credentials?.passwordHash ?? null)
    if (!valid || credentials === null) {
      request.log.info({ reason: 'wrong_credentials', address: request.ip }, 'sign-in rejected')
      return sendPage(
        reply,
        401,
        renderSignInPage({
          clientName: checked.request.client.name,
          params: checked.request.params,
          csrfToken: signer.signInCsrfToken(request, reply),
          nickname,
          error: 'The nickname or the password is wrong.',
        }),
      )
    }
    await attempt.succeeded()
    signer.startSession(request, reply, credentials.user.id, now())
    request.log.info({ userId: credentials.user.id }, 'user signed in')
    const query = new URLSearchParams(checked.request.params).toString()
    return reply.redirect(`/OAuth/Authorize?${query}`, 303)
  })

  app.post('/OAuth/Authorize/Decision', async (request, reply) => {
    const form = (request.body ?? {}) as FormFields
    const session = signer.readSession(request, now())
    if (session === null) {
      return sendPage(
        reply,
        401,
        renderErrorPage('Your sign-in has expired', 'Go back to the application and start again.'),
      )
    }
    const checked = await checkAuthorizationRequest(store, form)
    if (!checked.ok) {
      return sendFailure(request, reply, checked.failure)
    }
    const csrf = typeof form.csrf_token === 'string' ? form.csrf_token : undefined
    if (!signer.checkConsentCsrfToken(session, checked.request.params, csrf)) {
      request.log.info({ reason: 'csrf', userId: session.userId }, 'consent rejected')
      return sendPage(
        reply,
        403,
        renderErrorPage('The form has expired', 'Go back to the application and start again.'),
      )
    }
    const authorization = checked.request
    if (form.decision !== 'allow') {
      request.log.info(
        { userId: session.userId, clientId: authorization.client.clientId },
        'user cancelled consent',
      )
      const location = buildRedirect(authorization.redirectUri, authorization.responseType, {
        error: 'access_denied',
        status: 'cancelled',
        state: authorization.state,
      })
      return reply.redirect(location, 302)
    }

    const existing = await store.findConsent(session.userId, authorization.client.clientId)
    const scopes = [...new Set([...(existing?.scopes ?? []), ...authorization.scopes])]
    await store.saveConsent({
      userId: session.userId,
      clientId: authorization.client.clientId,
      scopes,
      grantedAt: now(),
    })
    request.log.info(
      {
        userId: session.userId,
        clientId: authorization.client.clientId,
        scopes: authorization.scopes,
      },
      'user granted consent',
    )
    const user: OAuthUser = { id: session.userId, familyId: newFamilyId() }
    if (authorization.responseType === 'token') {
      return reply.redirect(await implicitGrantRedirect(context, authorization, user), 302)
    }
    return reply.redirect(await codeGrantRedirect(context, authorization, user), 302)
  })
}

/** Issues a code through the OAuth library and returns the redirect carrying it. */
async function codeGrantRedirect(
  context: OAuthContext,
  authorization: AuthorizationRequest,
  user: OAuthUser,
): Promise<string> {
  const oauthRequest = new OAuth2Server.Request({
    method: 'POST',
    headers: {},
    query: {},
    body: { ...authorization.params },
  })
  const oauthResponse = new OAuth2Server.Response({ headers: {} })
  try {
    await context.server.authorize(oauthRequest, oauthResponse, {
      authenticateHandler: { handle: () => user },
    })
  } catch (error) {
    if (error instanceof OAuthError) {
      return buildRedirect(authorization.redirectUri, 'code', {
        error: error.name,
        error_description: error.message,
        state: authorization.state,
      })
    }
    throw error
  }
  const location = (oauthResponse.headers as Record<string, string | undefined>).location
  if (location === undefined) {
    throw new Error('the OAuth library returned no redirect for the authorization request')
  }
  return location
}

/**
 * Issues an access token in the URI fragment (RFC 6749 section 4.2). The
 * library has no implicit grant, so the token is stored here directly; it
 * gets no refresh token. RFC 9700 section 2.1.2 discourages this grant.
 */
async function implicitGrantRedirect(
  context: OAuthContext,
  authorization: AuthorizationRequest,
  user: OAuthUser,
): Promise<string> {
  const accessToken = generateSecret()
  const issuedAt = context.now()
  await context.store.insertAccessToken({
    tokenHash: hashSecret(accessToken),
    userId: user.id,
    clientId: authorization.client.clientId,
    scopes: authorization.scopes,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000),
    revokedAt: null,
    familyId: user.familyId,
  })
  return buildRedirect(authorization.redirectUri, 'token', {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: String(ACCESS_TOKEN_LIFETIME_SECONDS),
    scope: authorization.scopes.join(' '),
    state: authorization.state,
  })
}
