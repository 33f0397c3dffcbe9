import { parse } from 'node:querystring'

import fastifyCookie from '@fastify/cookie'
import OAuth2Server from '@node-oauth/oauth2-server'
import type { FastifyPluginAsync } from 'fastify'

import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  AUTHORIZATION_CODE_LIFETIME_SECONDS,
  createOAuthModel,
  REFRESH_TOKEN_LIFETIME_SECONDS,
} from '../../oauth/model.js'
import { SessionSigner } from '../../oauth/session.js'
import { SignInLimiter } from '../../oauth/sign-in-limiter.js'
import type { Store } from '../../storage/store.js'
import { authorizeRoutes } from './authorize.route.js'
import { tokenRoutes } from './token.route.js'

export interface OAuthPluginOptions {
  readonly store: Store
  /** Key for signing the pages' cookies and CSRF tokens. */
  readonly sessionSecret: string
  readonly now: () => Date
}

/**
 * Registers the OAuth 2.0 authorization server: sign-in and consent pages, token,
 * revocation and introspection endpoints, on @node-oauth/oauth2-server with
 * our store as its model. Form bodies are parsed only inside this plugin.
 */
export const oauthPlugin: FastifyPluginAsync<OAuthPluginOptions> = async (app, options) => {
  await app.register(fastifyCookie)
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      // node:querystring returns an object without a prototype, and an array for repeats.
      done(null, parse(body as string))
    },
  )

  const server = new OAuth2Server({
    model: createOAuthModel(options.store, app.log),
    accessTokenLifetime: ACCESS_TOKEN_LIFETIME_SECONDS,
    refreshTokenLifetime: REFRESH_TOKEN_LIFETIME_SECONDS,
    authorizationCodeLifetime: AUTHORIZATION_CODE_LIFETIME_SECONDS,
    allowEmptyState: true,
    alwaysIssueNewRefreshToken: true,
    // Public clients send no secret; the model still requires one from
    // confidential clients (see createOAuthModel's getClient).
    requireClientAuthentication: { authorization_code: false, refresh_token: false },
  })
  const context = {
    store: options.store,
    server,
    signer: new SessionSigner(options.sessionSecret),
    limiter: new SignInLimiter(),
    now: options.now,
  }
  await app.register(authorizeRoutes, context)
  await app.register(tokenRoutes, context)
}
