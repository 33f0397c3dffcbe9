import type { FastifyRequest } from 'fastify'

import type { ClientRecord, Store } from '../storage/store.js'
import { authenticateClientRecord } from './model.js'

/** An OAuth 2.0 error response (RFC 6749 section 5.2). */
export class OAuthErrorResponse extends Error {
  override readonly name = 'OAuthErrorResponse'

  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description)
  }
}

/** Form fields of an OAuth request; a field given twice is an array. */
export type FormFields = Record<string, string | string[] | undefined>

/** Returns a single-valued form field. @throws OAuthErrorResponse `invalid_request` when repeated. */
export function formField(form: FormFields, name: string): string | undefined {
  const value = form[name]
  if (Array.isArray(value)) {
    throw new OAuthErrorResponse(400, 'invalid_request', `${name} is given more than once`)
  }
  return value === '' ? undefined : value
}

function parseBasicCredentials(header: string): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (match?.[1] === undefined) {
    return null
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) {
    return null
  }
  try {
    // RFC 6749 section 2.3.1: both parts are form-urlencoded before encoding.
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    }
  } catch {
    return null
  }
}

/**
 * Authenticates the client of a token, revocation or introspection request
 * by HTTP Basic or by `client_id` and `client_secret` in the form body.
 *
 * @throws OAuthErrorResponse 401 `invalid_client`.
 */
export async function authenticateClient(
  store: Store,
  request: FastifyRequest,
  form: FormFields,
): Promise<ClientRecord> {
  return (await authenticateClientCredentials(store, request, form)).client
}

/** Like {@link authenticateClient}, also returning the decoded secret that was sent. */
export async function authenticateClientCredentials(
  store: Store,
  request: FastifyRequest,
  form: FormFields,
): Promise<{ client: ClientRecord; secret: string | null }> {
  const header = request.headers.authorization
  const basic = header === undefined ? null : parseBasicCredentials(header)
  if (header !== undefined && /^basic\b/i.test(header.trim()) && basic === null) {
    throw new OAuthErrorResponse(
      401,
      'invalid_client',
      'the HTTP Basic credentials are malformed',
      {
        'www-authenticate': 'Basic realm="phonechat-api"',
      },
    )
  }
  const bodyId = formField(form, 'client_id')
  if (
    basic !== null &&
    (formField(form, 'client_secret') !== undefined ||
      (bodyId !== undefined && bodyId !== basic.id))
  ) {
    // RFC 6749 section 2.3: a client uses one authentication method per request.
    throw new OAuthErrorResponse(
      400,
      'invalid_request',
      'send the client credentials either by HTTP Basic or in the body, not both',
    )
  }
  const clientId = basic?.id ?? formField(form, 'client_id')
  const secret = basic?.secret ?? formField(form, 'client_secret') ?? null
  const record =
    clientId === undefined ? null : await authenticateClientRecord(store, clientId, secret)
  if (record === null) {
    throw new OAuthErrorResponse(401, 'invalid_client', 'client authentication failed', {
      'www-authenticate': 'Basic realm="phonechat-api"',
    })
  }
  return { client: record, secret }
}
