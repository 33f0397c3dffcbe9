import type { FastifyInstance } from 'fastify'

import { ApiError } from '../domain/errors.js'
import { rejectRequest } from './error-handler.js'
import { negotiateFormat } from './negotiation.js'

/** Normalizes a path as the router does: decoded, lowercased, one trailing slash dropped. */
function routeKey(path: string): string {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // A malformed encoding never matches a route; compare it as sent.
  }
  return decoded.toLowerCase().replace(/(.)\/$/, '$1')
}

/**
 * Handles requests that match no route: 405 with `Allow` when the path exists
 * under other methods (paths compare case-insensitively, like the router),
 * and 404 otherwise. Call before registering routes, so every route is seen.
 */
export function installNotFoundHandler(app: FastifyInstance): void {
  const methodsByPath = new Map<string, Set<string>>()
  app.addHook('onRoute', (route) => {
    const key = routeKey(route.url)
    const methods = methodsByPath.get(key) ?? new Set<string>()
    for (const method of [route.method].flat()) {
      methods.add(method)
    }
    methodsByPath.set(key, methods)
  })

  app.setNotFoundHandler((request, reply) => {
    // The error is in XML when the client asked for XML; an unusable Accept gets JSON.
    reply.header('vary', 'Accept')
    request.responseFormat = negotiateFormat(request.headers.accept) ?? { kind: 'json' }
    const path = request.url.split('?')[0] ?? '/'
    const methods = methodsByPath.get(routeKey(path))
    if (methods === undefined) {
      return rejectRequest(
        request,
        reply,
        new ApiError(
          'not_found',
          `No endpoint is at ${path.slice(0, 200)}; check the path against the API reference`,
        ),
      )
    }
    const allow = [...methods].sort().join(', ')
    return rejectRequest(
      request,
      reply,
      new ApiError(
        'method_not_allowed',
        `${request.method} is not allowed on ${path}; use ${allow}`,
        {
          headers: { allow },
        },
      ),
    )
  })
}
