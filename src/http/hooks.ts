import type { FastifyInstance, FastifyRequest } from 'fastify'

import type { AuthenticatedCaller, CredentialsInput } from '../auth/authenticate.js'

import { authenticate, requireScope } from '../auth/authenticate.js'
import { ApiError } from '../domain/errors.js'
import type { Store } from '../storage/store.js'
import { rejectRequest } from './error-handler.js'
import { negotiateFormat, type ResponseFormat } from './negotiation.js'

const JSON_FORMAT: ResponseFormat = { kind: 'json' }

/**
 * Installs the request hooks that every route shares: the X-Request-Id
 * response header, then format negotiation and bearer authentication for
 * routes whose config requests them.
 */
export function installRequestHooks(app: FastifyInstance, store: Store, now: () => Date): void {
  app.decorateRequest('caller', null)
  app.decorateRequest('responseFormat', {
    getter(this: FastifyRequest & { chosenFormat?: ResponseFormat }): ResponseFormat {
      return this.chosenFormat ?? JSON_FORMAT
    },
    setter(this: FastifyRequest & { chosenFormat?: ResponseFormat }, format: ResponseFormat) {
      this.chosenFormat = format
    },
  })

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    const config = request.routeOptions.config
    if (config.negotiate === true) {
      reply.header('vary', 'Accept')
      const format = negotiateFormat(request.headers.accept)
      if (format === null) {
        return rejectRequest(request, reply, notAcceptable(request.headers.accept ?? ''))
      }
      request.responseFormat = format
    }
    if (config.auth !== undefined) {
      try {
        const caller = await authenticate(store, credentialsOf(request), now())
        if (config.auth.scope !== undefined) {
          requireScope(caller, config.auth.scope)
        }
        request.caller = caller
      } catch (error) {
        if (error instanceof ApiError) {
          return rejectRequest(request, reply, error)
        }
        throw error
      }
    }
    return undefined
  })
}

function credentialsOf(request: FastifyRequest): CredentialsInput {
  const query = request.query as Record<string, string | string[] | undefined>
  const headerKey = request.headers['x-apikey']
  const queryKey = query.apiKey
  return {
    authorization: request.headers.authorization,
    authorizationHeaderCount: countHeader(request.raw.rawHeaders, 'authorization'),
    hasQueryAccessToken: query.access_token !== undefined,
    apiKeys: [headerKey, queryKey].flat().filter((key): key is string => key !== undefined),
  }
}

function countHeader(rawHeaders: readonly string[], name: string): number {
  let count = 0
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === name) {
      count++
    }
  }
  return count
}

function notAcceptable(accept: string): ApiError {
  return new ApiError(
    'not_acceptable',
    `No available format matches Accept: ${accept.slice(0, 100)}; accept application/json, application/xml or text/xml`,
  )
}

/** Returns the caller that the auth hook stored, for routes declared with `config.auth`. */
export function callerOf(request: FastifyRequest): AuthenticatedCaller {
  if (request.caller === null) {
    throw new Error(
      `route ${request.routeOptions.url ?? ''} reads the caller but declares no config.auth`,
    )
  }
  return request.caller
}
