import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifyInstance, FastifyRequest } from 'fastify'

import { ApiError } from '../domain/errors.js'
import type { InputValue } from '../domain/input-value.js'
import { parseJsonInput } from '../formats/json-input.js'
import { parseSettingsXml, XmlInputError } from '../formats/xml-input.js'

/** A request body decoded by one of this server's content-type parsers. */
export class DecodedBody {
  constructor(readonly document: InputValue) {}
}

/**
 * Replaces Fastify's body parsers with ones that keep the literal text of
 * JSON numbers and read XML settings documents. Other content types get 415.
 */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      checkCharset(request.headers['content-type'])
      done(null, new DecodedBody(parseJsonInput(body as string)))
    } catch (error) {
      if (error instanceof ApiError) {
        done(error)
        return
      }
      const reason = error instanceof Error ? error.message : String(error)
      done(new ApiError('invalid_body', `The JSON body is invalid: ${reason}`, { cause: error }))
    }
  })
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string' },
    (request, body, done) => {
      try {
        checkCharset(request.headers['content-type'])
        done(null, new DecodedBody(parseSettingsXml(body as string)))
      } catch (error) {
        if (error instanceof XmlInputError) {
          done(new ApiError('invalid_body', `The XML body is invalid: ${error.message}`))
        } else if (error instanceof ApiError) {
          done(error)
        } else {
          done(error as Error)
        }
      }
    },
  )
}

/** Rejects a body whose Content-Type names a charset other than UTF-8, the only one read. */
function checkCharset(contentType: string | undefined): void {
  // Every charset mention counts, also inside quotes and as charset*, so a
  // header cannot name UTF-8 first and another charset later.
  for (const match of (contentType ?? '').matchAll(/charset\*?\s*=\s*"?([^";\s]*)/gi)) {
    const charset = (match[1] ?? '').toLowerCase()
    if (charset !== 'utf-8' && charset !== 'utf8') {
      throw new ApiError(
        'unsupported_media_type',
        `The body is declared as charset=${charset.slice(0, 40)}; send it as UTF-8`,
      )
    }
  }
}

/**
 * Validates query strings with Fastify's own Ajv setup, and leaves bodies to
 * the settings rules. JSON Schema gets a body only after JSON.parse, when
 * `1e1` and `10`, or `1.10` and `1.1`, can no longer be distinguished, so the
 * body schemas on routes document the format and do not enforce it.
 */
export function installValidatorCompiler(app: FastifyInstance): void {
  const compile = AjvCompiler()({}, { customOptions: {} })
  app.setValidatorCompiler((route) => {
    if (route.httpPart === 'body') {
      return () => true
    }
    return compile(route)
  })
}

/** Returns the decoded request body. @throws ApiError `invalid_body` when there is none. */
export function decodedBodyOf(request: FastifyRequest): InputValue {
  const body: unknown = request.body
  if (body instanceof DecodedBody) {
    return body.document
  }
  throw new ApiError(
    'invalid_body',
    'The request body is missing; send the settings as application/json or application/xml',
  )
}
