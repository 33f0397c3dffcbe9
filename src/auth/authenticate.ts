import { ApiError } from '../domain/errors.js'
import type { Store } from '../storage/store.js'
import { parseAuthorizationHeader } from './bearer.js'
import { formatBearerChallenge } from './challenge.js'
import { hashesEqual, hashSecret } from './secrets.js'

/** The user and client behind a valid access token. */
export interface AuthenticatedCaller {
  readonly userId: number
  readonly clientId: string
  readonly scopes: readonly string[]
}

/** The parts of a request that authentication reads. */
export interface CredentialsInput {
  readonly authorization: string | undefined
  /** How many Authorization headers the request has; more than one is ambiguous. */
  readonly authorizationHeaderCount: number
  /** Whether the query string carries `access_token`, which this server does not accept. */
  readonly hasQueryAccessToken: boolean
  /** `X-ApiKey` header or `apiKey` query values, in that order. */
  readonly apiKeys: readonly string[]
}

/**
 * Authenticates a request by its bearer token (RFC 6750 section 2.1 only:
 * tokens in the query string or a form body are not accepted) and, when one
 * is sent, checks that the API key belongs to the token's client.
 *
 * @throws ApiError `unauthorized`, `invalid_request`, `invalid_token` or `invalid_api_key`.
 */
export async function authenticate(
  store: Store,
  input: CredentialsInput,
  now: Date,
): Promise<AuthenticatedCaller> {
  const credentials = parseAuthorizationHeader(input.authorization)
  if (credentials.kind === 'none') {
    const detail = input.hasQueryAccessToken
      ? 'Access tokens in the query string are not accepted; send the header Authorization: Bearer <access_token>'
      : 'Send the header Authorization: Bearer <access_token>'
    throw new ApiError('unauthorized', detail, {
      headers: { 'www-authenticate': formatBearerChallenge() },
    })
  }
  if (input.authorizationHeaderCount > 1) {
    throw invalidRequest('The request has more than one Authorization header; send exactly one')
  }
  if (credentials.kind === 'malformed') {
    throw invalidRequest(`The Authorization header is malformed: ${credentials.reason}`)
  }
  if (input.hasQueryAccessToken) {
    throw invalidRequest(
      'The request sends an access token both in the Authorization header and in the query string; send it only in the header',
    )
  }

  const token = await store.findAccessToken(hashSecret(credentials.token))
  const problem =
    token === null
      ? 'is unknown'
      : token.revokedAt !== null
        ? 'has been revoked'
        : token.expiresAt.getTime() <= now.getTime()
          ? 'has expired'
          : null
  if (token === null || problem !== null) {
    const detail = `The access token ${problem ?? 'is invalid'}; obtain a new one`
    throw new ApiError('invalid_token', detail, {
      headers: {
        'www-authenticate': formatBearerChallenge({ error: 'invalid_token', description: detail }),
      },
    })
  }

  await checkApiKey(store, token.clientId, input.apiKeys)
  return { userId: token.userId, clientId: token.clientId, scopes: token.scopes }
}

/**
 * Checks that the caller's token carries `scope`.
 *
 * @throws ApiError `insufficient_scope` (RFC 6750 section 3.1).
 */
export function requireScope(caller: AuthenticatedCaller, scope: string): void {
  if (caller.scopes.includes(scope)) {
    return
  }
  const detail = `The access token lacks the scope ${scope}; request a token that grants it`
  throw new ApiError('insufficient_scope', detail, {
    headers: {
      'www-authenticate': formatBearerChallenge({
        error: 'insufficient_scope',
        description: detail,
        scope,
      }),
    },
  })
}

async function checkApiKey(
  store: Store,
  clientId: string,
  apiKeys: readonly string[],
): Promise<void> {
  if (apiKeys.length === 0) {
    return
  }
  const challenge = { 'www-authenticate': formatBearerChallenge() }
  if (apiKeys.length > 1) {
    throw new ApiError(
      'invalid_api_key',
      'The API key is given more than once; send it once, in X-ApiKey or in apiKey',
      { headers: challenge },
    )
  }
  const client = await store.findClient(clientId)
  const apiKey = apiKeys[0] ?? ''
  if (client === null || !hashesEqual(hashSecret(apiKey), client.apiKeyHash)) {
    throw new ApiError(
      'invalid_api_key',
      'The API key does not belong to the application that the access token was issued to',
      { headers: challenge },
    )
  }
}

function invalidRequest(detail: string): ApiError {
  return new ApiError('invalid_request', detail, {
    headers: {
      'www-authenticate': formatBearerChallenge({ error: 'invalid_request', description: detail }),
    },
  })
}
