import { randomUUID } from 'node:crypto'

import type {
  AuthorizationCode,
  AuthorizationCodeModel,
  Client,
  RefreshToken,
  RefreshTokenModel,
  Token,
} from '@node-oauth/oauth2-server'
import type { FastifyBaseLogger } from 'fastify'

import { KNOWN_SCOPES } from '../auth/scopes.js'
import { generateSecret, hashesEqual, hashSecret } from '../auth/secrets.js'
import type { ClientRecord, Store } from '../storage/store.js'

/** Access token lifetime: 20 minutes, in seconds. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 20 * 60
/** Refresh token lifetime: 14 days, in seconds. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 14 * 24 * 60 * 60
/** Authorization code lifetime: 5 minutes, in seconds (RFC 6749 section 4.1.2 allows at most 10). */
export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 5 * 60

/** The user object that the OAuth library passes between model calls. */
export interface OAuthUser {
  readonly id: number
  /** Token family that tokens issued next join. */
  readonly familyId: string
}

/** Client object passed to the library, with our record attached. */
export interface OAuthClient extends Client {
  readonly record: ClientRecord
}

export function toOAuthClient(record: ClientRecord): OAuthClient {
  return {
    id: record.clientId,
    redirectUris: [...record.redirectUris],
    grants: ['authorization_code', 'refresh_token'],
    accessTokenLifetime: ACCESS_TOKEN_LIFETIME_SECONDS,
    refreshTokenLifetime: REFRESH_TOKEN_LIFETIME_SECONDS,
    record,
  }
}

/** Starts a token family for a new grant. */
export function newFamilyId(): string {
  return randomUUID()
}

/**
 * Checks a client's credentials. Confidential clients must send their
 * secret, public clients must not have one. Returns null when they fail.
 */
export async function authenticateClientRecord(
  store: Store,
  clientId: string,
  clientSecret: string | null,
): Promise<ClientRecord | null> {
  const record = await store.findClient(clientId)
  if (record === null) {
    return null
  }
  if (record.secretHash === null) {
    return clientSecret === null || clientSecret === '' ? record : null
  }
  if (clientSecret === null || clientSecret === '') {
    return null
  }
  return hashesEqual(hashSecret(clientSecret), record.secretHash) ? record : null
}

/**
 * Creates the storage model of @node-oauth/oauth2-server, backed by our Store.
 * Tokens and codes are stored as SHA-256 hashes. Refresh tokens rotate on
 * every use, and presenting a rotated refresh token or a used code revokes
 * the whole token family (RFC 9700 section 4.14.2 and RFC 6749 section 4.1.2).
 */
export function createOAuthModel(
  store: Store,
  logger: FastifyBaseLogger,
): AuthorizationCodeModel & RefreshTokenModel {
  return {
    generateAccessToken: () => Promise.resolve(generateSecret()),
    generateRefreshToken: () => Promise.resolve(generateSecret()),
    generateAuthorizationCode: () => Promise.resolve(generateSecret()),

    async getClient(clientId: string, clientSecret: string | null | undefined) {
      // The library's authorize step passes null: it only looks the client
      // up. The token step passes the secret it found, or undefined when the
      // request had none, and then the client must authenticate.
      const record =
        clientSecret === null
          ? await store.findClient(clientId)
          : await authenticateClientRecord(store, clientId, clientSecret ?? null)
      return record === null ? null : toOAuthClient(record)
    },

    async validateScope(_user, client, scope) {
      const allowed = (client as OAuthClient).record.allowedScopes
      const requested = scope ?? []
      const valid =
        requested.length > 0 &&
        requested.every((name) => allowed.includes(name) && Object.hasOwn(KNOWN_SCOPES, name))
      return valid ? requested : false
    },

    async saveToken(token: Token, client: Client, user: OAuthUser) {
      const issuedAt = new Date()
      const scopes = token.scope ?? []
      await store.insertAccessToken({
        tokenHash: hashSecret(token.accessToken),
        userId: user.id,
        clientId: client.id,
        scopes,
        issuedAt,
        expiresAt: token.accessTokenExpiresAt ?? issuedAt,
        revokedAt: null,
        familyId: user.familyId,
      })
      if (token.refreshToken !== undefined) {
        await store.insertRefreshToken({
          tokenHash: hashSecret(token.refreshToken),
          familyId: user.familyId,
          userId: user.id,
          clientId: client.id,
          scopes,
          issuedAt,
          expiresAt: token.refreshTokenExpiresAt ?? issuedAt,
          rotatedAt: null,
          revokedAt: null,
        })
      }
      return { ...token, client, user }
    },

    async getAccessToken(accessToken: string) {
      const record = await store.findAccessToken(hashSecret(accessToken))
      const client = record === null ? null : await store.findClient(record.clientId)
      if (record === null || client === null || record.revokedAt !== null) {
        return null
      }
      return {
        accessToken,
        accessTokenExpiresAt: record.expiresAt,
        scope: [...record.scopes],
        client: toOAuthClient(client),
        user: { id: record.userId, familyId: record.familyId ?? newFamilyId() },
      }
    },

    async getRefreshToken(refreshToken: string): Promise<RefreshToken | null> {
      const record = await store.findRefreshToken(hashSecret(refreshToken))
      if (record === null || record.revokedAt !== null) {
        return null
      }
      if (record.rotatedAt !== null) {
        await store.revokeTokenFamily(record.familyId, new Date())
        logger.warn(
          { userId: record.userId, clientId: record.clientId, familyId: record.familyId },
          'rotated refresh token presented again; revoked its token family',
        )
        return null
      }
      const consent = await store.findConsent(record.userId, record.clientId)
      if (consent === null || !record.scopes.every((scope) => consent.scopes.includes(scope))) {
        return null
      }
      const client = await store.findClient(record.clientId)
      if (client === null) {
        return null
      }
      return {
        refreshToken,
        refreshTokenExpiresAt: record.expiresAt,
        scope: [...record.scopes],
        client: toOAuthClient(client),
        user: { id: record.userId, familyId: record.familyId } satisfies OAuthUser,
      }
    },

    async revokeToken(token: RefreshToken) {
      return store.markRefreshTokenRotated(hashSecret(token.refreshToken), new Date())
    },

    async saveAuthorizationCode(
      code: Pick<
        AuthorizationCode,
        | 'authorizationCode'
        | 'expiresAt'
        | 'redirectUri'
        | 'scope'
        | 'codeChallenge'
        | 'codeChallengeMethod'
      >,
      client: Client,
      user: OAuthUser,
    ) {
      await store.insertAuthorizationCode({
        codeHash: hashSecret(code.authorizationCode),
        familyId: user.familyId,
        userId: user.id,
        clientId: client.id,
        redirectUri: code.redirectUri,
        scopes: code.scope ?? [],
        codeChallenge: code.codeChallenge ?? null,
        codeChallengeMethod: code.codeChallengeMethod ?? null,
        issuedAt: new Date(),
        expiresAt: code.expiresAt,
        usedAt: null,
      })
      return { ...code, client, user }
    },

    async getAuthorizationCode(authorizationCode: string) {
      const record = await store.findAuthorizationCode(hashSecret(authorizationCode))
      if (record === null) {
        return null
      }
      if (record.usedAt !== null) {
        await store.revokeTokenFamily(record.familyId, new Date())
        logger.warn(
          { userId: record.userId, clientId: record.clientId, familyId: record.familyId },
          'authorization code used twice; revoked the tokens issued for it',
        )
        return null
      }
      // A code must not outlive the consent it was issued under, even if the
      // user consents again later; consenting again resets grantedAt.
      const consent = await store.findConsent(record.userId, record.clientId)
      const client = await store.findClient(record.clientId)
      if (
        client === null ||
        consent === null ||
        consent.grantedAt.getTime() > record.issuedAt.getTime() ||
        !record.scopes.every((scope) => consent.scopes.includes(scope))
      ) {
        return null
      }
      return {
        authorizationCode,
        expiresAt: record.expiresAt,
        redirectUri: record.redirectUri,
        scope: [...record.scopes],
        client: toOAuthClient(client),
        user: { id: record.userId, familyId: record.familyId } satisfies OAuthUser,
        ...(record.codeChallenge === null ? {} : { codeChallenge: record.codeChallenge }),
        ...(record.codeChallengeMethod === null
          ? {}
          : { codeChallengeMethod: record.codeChallengeMethod }),
      }
    },

    async revokeAuthorizationCode(code: AuthorizationCode) {
      return store.markAuthorizationCodeUsed(hashSecret(code.authorizationCode), new Date())
    },

    async verifyScope(token: Token, scope: string[]) {
      return scope.every((name) => token.scope?.includes(name) ?? false)
    },
  }
}
