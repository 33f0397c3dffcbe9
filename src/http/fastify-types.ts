import type { AuthenticatedCaller } from '../auth/authenticate.js'
import type { ResponseFormat } from './negotiation.js'

/** Security settings a route declares in its `config` to get authentication. */
export interface RouteSecurity {
  /** Scope that the caller's access token must carry; any valid token will do when absent. */
  readonly scope?: string
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Requires a bearer access token with this scope before the handler runs. */
    auth?: RouteSecurity
    /** Chooses JSON or XML from the Accept header, or rejects the request with 406. */
    negotiate?: boolean
  }

  interface FastifyRequest {
    /** Set on routes with `config.auth`. */
    caller: AuthenticatedCaller | null
    /** Format for the response body, JSON unless negotiation chose XML. */
    responseFormat: ResponseFormat
  }
}
