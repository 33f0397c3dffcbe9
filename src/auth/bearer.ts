/** Credentials of an `Authorization` header, per RFC 6750 section 2.1. */
export type BearerCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'malformed'; readonly reason: string }

/** RFC 6750 b64token: the characters a bearer token may contain. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/**
 * Parses an `Authorization` header. The scheme name is case-insensitive
 * (RFC 9110 section 11.1). A header with another scheme, such as Basic,
 * carries no bearer credentials.
 */
export function parseAuthorizationHeader(header: string | undefined): BearerCredentials {
  if (header === undefined || header.trim() === '') {
    return { kind: 'none' }
  }
  const match = /^(\S+)(\s*)(.*)$/s.exec(header.trim())
  const scheme = match?.[1] ?? ''
  if (scheme.toLowerCase() !== 'bearer') {
    return { kind: 'none' }
  }
  const separator = match?.[2] ?? ''
  const token = match?.[3] ?? ''
  if (token === '') {
    return { kind: 'malformed', reason: 'the Bearer scheme is not followed by a token' }
  }
  if (!/^ +$/.test(separator)) {
    return { kind: 'malformed', reason: 'separate the scheme and the token with a space' }
  }
  if (!B64TOKEN.test(token)) {
    return {
      kind: 'malformed',
      reason: 'the token contains characters that RFC 6750 does not allow in a bearer token',
    }
  }
  return { kind: 'bearer', token }
}
