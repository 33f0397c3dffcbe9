import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'

import { ApiError, ERROR_CATALOG, type ErrorCode } from '../domain/errors.js'
import { PROBLEM_TYPE_PREFIX } from '../schemas/problem.js'
import { toProblemDocument } from './problem.js'

/**
 * Responds to errors that Fastify raises before routing, such as a malformed
 * percent-encoding in the path, as problem details with a request id.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  request.log.info({ code: error.code }, 'request rejected before routing')
  reply.header('x-request-id', request.id)
  const detail =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The request path is not valid percent-encoded UTF-8; encode it and retry'
      : 'The request could not be routed'
  // The request has not been routed, so it carries no decorations: JSON only.
  const problem = toProblemDocument(new ApiError('invalid_request', detail), request.id)
  void reply
    .code(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem))
}

/** Catalog codes for Node's HTTP parser errors; any other parser error is `invalid_request`. */
const CLIENT_ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
  HPE_HEADER_OVERFLOW: 'headers_too_large',
}

const CLIENT_ERROR_DETAILS: Readonly<Partial<Record<ErrorCode, string>>> = {
  request_timeout: 'The request took too long to arrive',
  headers_too_large: 'The request headers are too large',
}

/**
 * Creates the handler for requests that Node's HTTP parser rejects. It
 * writes a problem document straight to the socket and logs only the error
 * code: Fastify's default logs the raw request bytes, credentials included.
 */
export function createClientErrorHandler(logger: Logger) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      return
    }
    const code = CLIENT_ERROR_CODES[error.code ?? ''] ?? 'invalid_request'
    const status = ERROR_CATALOG[code].status
    const requestId = randomUUID()
    logger.debug({ code: error.code, requestId }, 'malformed HTTP request rejected')
    const body = JSON.stringify({
      type: PROBLEM_TYPE_PREFIX + code,
      title: ERROR_CATALOG[code].title,
      status,
      detail: CLIENT_ERROR_DETAILS[code] ?? 'The request is not valid HTTP/1.1',
      code,
      requestId,
    })
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      )
    }
    socket.destroy(error)
  }
}
