import type { FastifyReply, FastifyRequest } from 'fastify'

import type { ApiError } from '../domain/errors.js'
import { problemToXml } from '../formats/xml.js'
import { PROBLEM_TYPE_PREFIX, type ProblemDocument } from '../schemas/problem.js'

/** Builds the RFC 9457 problem document for an error. */
export function toProblemDocument(error: ApiError, requestId: string): ProblemDocument {
  return {
    type: PROBLEM_TYPE_PREFIX + error.code,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId,
    ...(error.errors === undefined ? {} : { errors: [...error.errors] }),
  }
}

/**
 * Sends an error as problem details, in XML when the request negotiated XML
 * and in JSON otherwise, with the headers that the error carries.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError,
): FastifyReply {
  const problem = toProblemDocument(error, request.id)
  reply.code(error.status).headers(error.headers)
  if (request.responseFormat.kind === 'xml') {
    return reply.type('application/problem+xml; charset=utf-8').send(problemToXml(problem))
  }
  return reply
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(problem)
}
