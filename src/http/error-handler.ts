import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { ApiError } from '../domain/errors.js'
import { PARAMETER_RULES } from './parameters.js'
import { sendProblem } from './problem.js'

interface SchemaErrorDetail {
  readonly keyword: string
  readonly instancePath: string
  readonly params: Record<string, unknown>
  readonly message?: string
}

/**
 * Installs the one place that turns errors into responses: catalog errors
 * keep their code, schema and body-parser errors become 4xx problems, and
 * anything else becomes a 500 whose body reveals nothing but the request id.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error)
    if (apiError.status >= 500) {
      request.log.error({ err: error }, 'request failed')
    } else {
      request.log.info({ code: apiError.code, status: apiError.status }, 'request rejected')
    }
    return sendProblem(request, reply, apiError)
  })
}

/** Sends an {@link ApiError} raised outside a handler, such as in a hook. */
export function rejectRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError,
): FastifyReply {
  request.log.info({ code: error.code, status: error.status }, 'request rejected')
  return sendProblem(request, reply, error)
}

function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) {
    return error
  }
  if (error.validation !== undefined) {
    return describeSchemaErrors(error.validation, error.validationContext)
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', error.message, { cause: error })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        'unsupported_media_type',
        'Send the body as application/json, application/xml or text/xml, and name it in Content-Type',
        { cause: error },
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_body', error.message, { cause: error })
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('invalid_request', error.message, { cause: error })
  }
  return new ApiError(
    'internal_error',
    'The server failed to handle the request; quote the request id when reporting it',
    {
      cause: error,
    },
  )
}

function describeSchemaErrors(
  details: readonly SchemaErrorDetail[],
  context: string | undefined,
): ApiError {
  const where = context === 'querystring' ? 'Query parameter' : 'Field'
  const first = details[0]
  if (first === undefined) {
    return new ApiError('invalid_parameter', 'The request failed validation')
  }
  const missing = first.params.missingProperty
  const name =
    typeof missing === 'string'
      ? missing
      : (first.instancePath.replace(/^\//, '').split('/')[0] ?? '')
  const rule = PARAMETER_RULES[name] ?? first.message ?? 'is invalid'
  let problem: string
  if (first.keyword === 'required') {
    problem = `is required; it ${rule}`
  } else if (first.keyword === 'type' && first.params.type === 'string') {
    problem = 'is given more than once; give it once'
  } else {
    problem = rule
  }
  return new ApiError('invalid_parameter', `${where} ${name} ${problem}`)
}
