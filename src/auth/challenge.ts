/** Realm named in every `WWW-Authenticate` challenge. */
export const REALM = 'phonechat-api'

export interface BearerChallenge {
  /** RFC 6750 section 3.1 error code; omitted when the request had no credentials. */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'
  readonly description?: string
  /** Scope that the resource needs, sent with `insufficient_scope`. */
  readonly scope?: string
}

/** Formats a `WWW-Authenticate: Bearer ...` value (RFC 6750 section 3). */
export function formatBearerChallenge(challenge: BearerChallenge = {}): string {
  const params = [`realm="${REALM}"`]
  if (challenge.error !== undefined) {
    params.push(`error="${challenge.error}"`)
  }
  if (challenge.description !== undefined) {
    // error_description allows printable ASCII except the double quote and backslash.
    params.push(
      `error_description="${challenge.description.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`,
    )
  }
  if (challenge.scope !== undefined) {
    params.push(`scope="${challenge.scope}"`)
  }
  return `Bearer ${params.join(', ')}`
}
