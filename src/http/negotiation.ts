import Negotiator from 'negotiator'

export type ResponseFormat =
  | { readonly kind: 'json' }
  | { readonly kind: 'xml'; readonly mediaType: 'application/xml' | 'text/xml' }

const JSON_FORMAT: ResponseFormat = { kind: 'json' }
const OFFERED = ['application/json', 'application/xml', 'text/xml']

interface AcceptEntry {
  readonly mediaRange: string
  readonly q: number
}

/**
 * Splits an Accept header into media ranges with their q-values, dropping
 * other parameters such as `charset`: the offered types carry none, and
 * negotiator would otherwise refuse `application/json; charset=utf-8`.
 */
function parseAccept(accept: string): AcceptEntry[] {
  return accept
    .split(',')
    .map((entry) => {
      const [range = '', ...params] = entry.split(';').map((part) => part.trim())
      const qParam = params.find((param) => /^q=/i.test(param))
      const q = qParam === undefined ? 1 : Number(qParam.slice(2))
      return { mediaRange: range.toLowerCase(), q: Number.isFinite(q) ? q : 0 }
    })
    .filter((entry) => entry.mediaRange !== '')
}

/**
 * Chooses the response format from an `Accept` header (RFC 9110 section
 * 12.5.1), honouring q-values. JSON wins when the header is missing, empty or
 * `*\/*`, and for browsers (an Accept that names text/html with q above 0),
 * whose generic lists would otherwise rank XML first, unless JSON itself is
 * refused. Returns null when nothing offered is acceptable.
 */
export function negotiateFormat(accept: string | undefined): ResponseFormat | null {
  if (accept === undefined || accept.trim() === '') {
    return JSON_FORMAT
  }
  const entries = parseAccept(accept)
  const normalized = entries.map((entry) => `${entry.mediaRange};q=${entry.q}`).join(', ')
  const negotiator = new Negotiator({ headers: { accept: normalized } })
  const isBrowser = entries.some((entry) => entry.mediaRange === 'text/html' && entry.q > 0)
  if (isBrowser && negotiator.mediaTypes(['application/json']).length > 0) {
    return JSON_FORMAT
  }
  const first = negotiator.mediaTypes(OFFERED)[0]
  if (first === undefined) {
    return null
  }
  if (first === 'application/xml' || first === 'text/xml') {
    return { kind: 'xml', mediaType: first }
  }
  return JSON_FORMAT
}
