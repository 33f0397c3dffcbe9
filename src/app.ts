import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Logger } from 'pino'

import type { PhoneNumberCheck } from './domain/phone-number.js'
import { installBodyParsers, installValidatorCompiler } from './http/body.js'
import { installErrorHandler } from './http/error-handler.js'
import { createClientErrorHandler, handleFrameworkError } from './http/framework-errors.js'
import './http/fastify-types.js'
import { installRequestHooks } from './http/hooks.js'
import { installNotFoundHandler } from './http/method-not-allowed.js'
import { parseQueryString } from './http/query-string.js'
import { generateRequestId } from './http/request-id.js'
import { healthzRoute } from './routes/healthz.route.js'
import { getMemberSettingsRoute } from './routes/v1/groups/phonechat/get-settings.route.js'
import { saveMemberSettingsRoute } from './routes/v1/groups/phonechat/save-settings.route.js'
import { getOwnSettingsRoute } from './routes/v1/phonechat/get-settings.route.js'
import { saveOwnSettingsRoute } from './routes/v1/phonechat/save-settings.route.js'
import { generateSecret } from './auth/secrets.js'
import { oauthPlugin } from './routes/oauth/oauth.plugin.js'
import { verifyCredentialsRoute } from './routes/v1/account/verify-credentials.route.js'
import type { Store } from './storage/store.js'

export interface AppDependencies {
  readonly store: Store
  readonly logger: Logger
  readonly phoneNumberCheck: PhoneNumberCheck
  /** Clock for token expiry; tests replace it. */
  readonly now?: () => Date
  /** Key for the OAuth pages' cookies; by default a random key kept in the database. */
  readonly sessionSecret?: string
  /** Fastify's trustProxy: which proxies may set the client address and protocol. */
  readonly trustProxy?: boolean | string
}

/** Largest accepted request body, in bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024

/** Builds the Fastify app. The caller listens and closes it; the store stays the caller's. */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { store } = dependencies
  const logger: FastifyBaseLogger = dependencies.logger
  const now = dependencies.now ?? (() => new Date())
  const app = Fastify({
    loggerInstance: logger,
    genReqId: generateRequestId,
    trustProxy: dependencies.trustProxy ?? false,
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: createClientErrorHandler(dependencies.logger),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: {
      caseSensitive: false,
      ignoreTrailingSlash: true,
      querystringParser: parseQueryString,
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  installErrorHandler(app)
  installNotFoundHandler(app)
  installRequestHooks(app, store, now)

  installBodyParsers(app)
  installValidatorCompiler(app)

  const context = { store, phoneNumberCheck: dependencies.phoneNumberCheck }
  await app.register(healthzRoute, context)
  await app.register(getOwnSettingsRoute, context)
  await app.register(getMemberSettingsRoute, context)
  await app.register(saveOwnSettingsRoute, context)
  await app.register(saveMemberSettingsRoute, context)
  await app.register(verifyCredentialsRoute, context)

  const sessionSecret =
    dependencies.sessionSecret ?? (await store.getServerSecret('session', generateSecret()))
  await app.register(oauthPlugin, { store, sessionSecret, now })
  return app
}
