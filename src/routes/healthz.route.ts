import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { ApiError } from '../domain/errors.js'
import { sendProblem } from '../http/problem.js'
import { ProblemSchema } from '../schemas/problem.js'
import type { RouteContext } from './route-context.js'

/** GET /healthz: 200 while the database responds, 503 otherwise. Needs no token. */
export const healthzRoute: FastifyPluginAsyncTypebox<RouteContext> = async (app, { store }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health check',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      try {
        await store.ping()
      } catch (error) {
        request.log.error({ err: error }, 'health check failed: the database did not respond')
        return sendProblem(
          request,
          reply,
          new ApiError(
            'service_unavailable',
            'The database is not responding; check the server log for the cause',
          ),
        )
      }
      return reply.send({ status: 'ok' as const })
    },
  )
}
