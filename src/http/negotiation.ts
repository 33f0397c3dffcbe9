import Negotiator from 'negotiator'

export type ResponseFormat =
  | { readonly kind: 'json' }
  | { readonly kind: 'xml'; readonly mediaType: 'application/xml' | 'text/xml' }

const JSON_FORMAT: ResponseFormat = { kind: 'json' }
const OFFERED = ['application/json', 'application/xml', 'text/xml']

/**
 * Chooses the response format from an `Accept` header (RFC 9110 section
 * 12.5.1), honouring q-values. JSON wins when the header is missing, empty or
 * `*\/*`, and for browsers (any Accept naming text/html), whose generic lists
 * would otherwise rank XML first. Returns null when nothing offered is acceptable.
 */
export function negotiateFormat(accept: string | undefined): ResponseFormat | null {
  if (accept === undefined || accept.trim() === '') {
    return JSON_FORMAT
  }
  if (/(^|,)\s*text\/html\s*(;|,|$)/i.test(accept)) {
    return JSON_FORMAT
  }
  const first = new Negotiator({ headers: { accept } }).mediaTypes(OFFERED)[0]
  if (first === undefined) {
    return null
  }
  if (first === 'application/xml' || first === 'text/xml') {
    return { kind: 'xml', mediaType: first }
  }
  return JSON_FORMAT
}
