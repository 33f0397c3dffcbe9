import { KNOWN_SCOPES } from '../auth/scopes.js'
import type { ClientRecord, Store } from '../storage/store.js'

/** Parameters of an authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3). */
export const AUTHORIZATION_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const

export type AuthorizationParameters = Partial<
  Record<(typeof AUTHORIZATION_PARAMETERS)[number], string>
>

/** A checked authorization request. */
export interface AuthorizationRequest {
  readonly responseType: 'code' | 'token'
  readonly client: ClientRecord
  readonly redirectUri: string
  readonly scopes: readonly string[]
  readonly state: string | undefined
  /** The parameters to carry through the sign-in and consent forms. */
  readonly params: Readonly<Record<string, string>>
}

/** An authorization request error, sent back to the client or shown to the user. */
export type AuthorizationFailure =
  | { readonly kind: 'page'; readonly message: string }
  | {
      readonly kind: 'redirect'
      readonly redirectUri: string
      readonly responseType: 'code' | 'token'
      readonly error: string
      readonly description: string
      readonly state: string | undefined
    }

/** Characters allowed in `state` (RFC 6749 appendix A.5, VSCHAR). */
const VISIBLE_ASCII = /^[\x20-\x7e]+$/

/** PKCE code challenge: 43 to 128 unreserved characters (RFC 7636 section 4.2). */
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/

/**
 * Reads request parameters, rejecting any given more than once, which RFC
 * 6749 section 3.1 forbids. Returns the names that were repeated.
 */
export function readAuthorizationParameters(source: Record<string, unknown>): {
  params: AuthorizationParameters
  repeated: string[]
} {
  const params: AuthorizationParameters = {}
  const repeated: string[] = []
  for (const name of AUTHORIZATION_PARAMETERS) {
    const value = source[name]
    if (Array.isArray(value)) {
      repeated.push(name)
    } else if (typeof value === 'string' && value !== '') {
      params[name] = value
    }
  }
  return { params, repeated }
}

/**
 * Checks an authorization request. Problems with the client or the redirect
 * URI are shown to the user and never redirected (RFC 6749 section 4.1.2.1),
 * so that the server cannot be used to forward users to other sites.
 */
export async function checkAuthorizationRequest(
  store: Store,
  source: Record<string, unknown>,
): Promise<
  { ok: true; request: AuthorizationRequest } | { ok: false; failure: AuthorizationFailure }
> {
  const { params, repeated } = readAuthorizationParameters(source)
  if (repeated.includes('client_id') || repeated.includes('redirect_uri')) {
    return page('The request names its application or return address more than once.')
  }
  const client = params.client_id === undefined ? null : await store.findClient(params.client_id)
  if (client === null) {
    return page('The application that sent you here is not registered.')
  }
  const redirectUri =
    params.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined)
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    return page(
      'The return address of this request is not registered for the application, so you are not sent back.',
    )
  }

  const responseType: 'code' | 'token' = params.response_type === 'token' ? 'token' : 'code'
  const fail = (error: string, description: string) => ({
    ok: false as const,
    failure: {
      kind: 'redirect' as const,
      redirectUri,
      responseType,
      error,
      description,
      state: params.state,
    },
  })
  if (repeated.length > 0) {
    return fail('invalid_request', `parameters given more than once: ${repeated.join(', ')}`)
  }
  if (params.response_type !== 'code' && params.response_type !== 'token') {
    return fail('unsupported_response_type', 'response_type must be code or token')
  }
  if (params.response_type === 'token' && !client.allowImplicit) {
    return fail('unauthorized_client', 'this client is not registered for the implicit grant')
  }
  if (params.state !== undefined && !VISIBLE_ASCII.test(params.state)) {
    const failure = fail('invalid_request', 'state must be printable ASCII')
    return { ok: false, failure: { ...failure.failure, state: undefined } }
  }
  const scopes = [...new Set((params.scope ?? '').split(' ').filter((scope) => scope !== ''))]
  if (scopes.length === 0) {
    return fail('invalid_scope', 'scope is required')
  }
  const disallowed = scopes.filter(
    (scope) => !Object.hasOwn(KNOWN_SCOPES, scope) || !client.allowedScopes.includes(scope),
  )
  if (disallowed.length > 0) {
    return fail('invalid_scope', `scope not allowed for this client: ${disallowed.join(' ')}`)
  }
  if (responseType === 'code') {
    const pkceProblem = checkPkce(params, client)
    if (pkceProblem !== null) {
      return fail('invalid_request', pkceProblem)
    }
  } else if (params.code_challenge !== undefined) {
    return fail('invalid_request', 'code_challenge applies to response_type=code only')
  }

  const carried: Record<string, string> = {}
  for (const name of AUTHORIZATION_PARAMETERS) {
    const value = params[name]
    if (value !== undefined) {
      carried[name] = value
    }
  }
  carried.redirect_uri = redirectUri
  carried.scope = scopes.join(' ')
  return {
    ok: true,
    request: { responseType, client, redirectUri, scopes, state: params.state, params: carried },
  }
}

function checkPkce(params: AuthorizationParameters, client: ClientRecord): string | null {
  if (params.code_challenge === undefined) {
    return client.isPublic ? 'code_challenge is required for public clients (PKCE, RFC 7636)' : null
  }
  if (params.code_challenge_method !== 'S256') {
    return 'code_challenge_method must be S256'
  }
  if (!CODE_CHALLENGE.test(params.code_challenge)) {
    return 'code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, -, ., _ and ~'
  }
  return null
}

function page(message: string) {
  return { ok: false as const, failure: { kind: 'page' as const, message } }
}

/**
 * Builds the redirect back to the client: query parameters for the code
 * flow, the URI fragment for the implicit flow (RFC 6749 section 4.2.2).
 */
export function buildRedirect(
  redirectUri: string,
  responseType: 'code' | 'token',
  values: Readonly<Record<string, string | undefined>>,
): string {
  const url = new URL(redirectUri)
  const entries = Object.entries(values).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  )
  if (responseType === 'token') {
    url.hash = new URLSearchParams(entries).toString()
  } else {
    for (const [name, value] of entries) {
      url.searchParams.set(name, value)
    }
  }
  return url.toString()
}
