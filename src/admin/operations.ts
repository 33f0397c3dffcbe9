import { checkNewPassword, hashPassword } from '../auth/passwords.js'
import { KNOWN_SCOPES } from '../auth/scopes.js'
import { generateSecret, hashSecret } from '../auth/secrets.js'
import type { PhoneNumberCheck } from '../domain/phone-number.js'
import type { PhoneChatSettings } from '../domain/settings.js'
import { ApiError } from '../domain/errors.js'
import type { AuditEntry } from '../domain/settings-audit.js'
import type { FieldError } from '../domain/settings-rules.js'
import { saveSettings } from '../domain/settings-service.js'
import type { InputValue } from '../domain/input-value.js'
import { StoreConflictError } from '../storage/store-errors.js'
import type { GroupRecord, Store, UserRecord } from '../storage/store.js'

/** An operator request that cannot be carried out. The message states why and what to do. */
export class OperationError extends Error {
  override readonly name = 'OperationError'
  readonly fieldErrors: readonly FieldError[]

  constructor(message: string, fieldErrors: readonly FieldError[] = []) {
    super(message)
    this.fieldErrors = fieldErrors
  }
}

/** Default access token lifetime, in seconds: 20 minutes. */
export const DEFAULT_TOKEN_TTL_SECONDS = 20 * 60
/** Maximum lifetime an operator may give a token, in seconds: 30 days. */
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60

const MAX_NAME_LENGTH = 64

/**
 * Checks a nickname or group name: 1 to 64 characters, without control,
 * format (such as bidirectional overrides and zero-width spaces), private-use
 * or unassigned characters, or line and paragraph separators.
 */
export function checkName(kind: string, name: string): string {
  const trimmed = name.trim().normalize('NFC')
  if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH || /[\p{C}\p{Zl}\p{Zp}]/u.test(trimmed)) {
    throw new OperationError(
      `${kind} ${JSON.stringify(name)} is invalid; use 1 to ${MAX_NAME_LENGTH} printable characters`,
    )
  }
  return trimmed
}

export async function createUser(store: Store, nickname: string): Promise<UserRecord> {
  const name = checkName('nickname', nickname)
  try {
    return await store.createUser(name, new Date())
  } catch (error) {
    if (error instanceof StoreConflictError) {
      throw new OperationError(`nickname ${JSON.stringify(name)} is taken; choose another`)
    }
    throw error
  }
}

export async function requireUser(store: Store, userId: number): Promise<UserRecord> {
  const user = await store.findUser(userId)
  if (user === null) {
    throw new OperationError(
      `user ${userId} does not exist; create it with: user create --nickname N`,
    )
  }
  return user
}

export async function createGroup(
  store: Store,
  name: string,
  managerUserId: number,
): Promise<GroupRecord> {
  const groupName = checkName('group name', name)
  await requireUser(store, managerUserId)
  return store.createGroup(groupName, managerUserId, new Date())
}

export async function addGroupMember(store: Store, groupId: number, userId: number): Promise<void> {
  const group = await store.findGroup(groupId)
  if (group === null) {
    throw new OperationError(`group ${groupId} does not exist; create it with: group create`)
  }
  await requireUser(store, userId)
  try {
    await store.addGroupMember(groupId, userId, new Date())
  } catch (error) {
    if (error instanceof StoreConflictError) {
      throw new OperationError(
        `user ${userId} is already a member of a group; a user belongs to at most one group`,
      )
    }
    throw error
  }
}

/** A new client's credentials. The secret and API key are shown once and stored only as hashes. */
export interface NewClient {
  readonly client_id: string
  /** Absent for a public client. */
  readonly client_secret?: string
  readonly api_key: string
}

export interface ClientRegistration {
  readonly name: string
  readonly redirectUris?: readonly string[]
  readonly allowedScopes?: readonly string[]
  /** A public client (a browser or mobile app) has no secret and must use PKCE. */
  readonly isPublic?: boolean
  /** Allows the implicit grant, which RFC 9700 discourages; confidential clients only. */
  readonly allowImplicit?: boolean
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/**
 * Checks a redirect URI for registration: an absolute URI without a
 * fragment, using https, http on a loopback host, or a private-use scheme
 * with a dot such as com.example.app (RFC 8252 section 7).
 */
export function checkRedirectUri(uri: string): string {
  let parsed: URL
  try {
    parsed = new URL(uri)
  } catch {
    throw new OperationError(`redirect URI ${JSON.stringify(uri)} is not an absolute URI`)
  }
  if (parsed.hash !== '' || uri.includes('#')) {
    throw new OperationError(`redirect URI ${uri} has a fragment; remove the part from #`)
  }
  const scheme = parsed.protocol.slice(0, -1)
  const allowed =
    scheme === 'https' ||
    (scheme === 'http' && LOOPBACK_HOSTS.has(parsed.hostname)) ||
    (scheme.includes('.') && scheme !== 'http' && scheme !== 'https')
  if (!allowed) {
    throw new OperationError(
      `redirect URI ${uri} must use https, http on 127.0.0.1, [::1] or localhost, or a private-use scheme such as com.example.app:/callback`,
    )
  }
  return uri
}

export async function createClient(
  store: Store,
  registration: ClientRegistration | string,
): Promise<NewClient> {
  const request = typeof registration === 'string' ? { name: registration } : registration
  const clientName = checkName('client name', request.name)
  const redirectUris = [...new Set((request.redirectUris ?? []).map(checkRedirectUri))]
  const allowedScopes = request.allowedScopes ?? Object.keys(KNOWN_SCOPES)
  const isPublic = request.isPublic ?? false
  const allowImplicit = request.allowImplicit ?? false
  if (isPublic && allowImplicit) {
    throw new OperationError(
      'a public client cannot use the implicit grant: it would bypass PKCE; drop --allow-implicit',
    )
  }
  const clientSecret = isPublic ? undefined : generateSecret()
  const credentials: NewClient = {
    client_id: `client_${generateSecret().slice(0, 22)}`,
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
    api_key: generateSecret(),
  }
  await store.createClient({
    clientId: credentials.client_id,
    name: clientName,
    secretHash: clientSecret === undefined ? null : hashSecret(clientSecret),
    apiKeyHash: hashSecret(credentials.api_key),
    redirectUris,
    allowedScopes,
    isPublic,
    allowImplicit,
    createdAt: new Date(),
  })
  return credentials
}

/** An access token response, shaped like RFC 6749 section 5.1. */
export interface IssuedToken {
  readonly access_token: string
  readonly token_type: 'Bearer'
  readonly expires_in: number
  readonly scope: string
}

export async function issueToken(
  store: Store,
  request: { userId: number; clientId: string; scopes: readonly string[]; ttlSeconds: number },
): Promise<IssuedToken> {
  if (
    !Number.isInteger(request.ttlSeconds) ||
    request.ttlSeconds < 1 ||
    request.ttlSeconds > MAX_TOKEN_TTL_SECONDS
  ) {
    throw new OperationError(
      `token lifetime ${request.ttlSeconds} is invalid; use whole seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}`,
    )
  }
  await requireUser(store, request.userId)
  if ((await store.findClient(request.clientId)) === null) {
    throw new OperationError(
      `client ${JSON.stringify(request.clientId)} does not exist; create it with: client create --name N`,
    )
  }
  const accessToken = generateSecret()
  const issuedAt = new Date()
  await store.insertAccessToken({
    tokenHash: hashSecret(accessToken),
    userId: request.userId,
    clientId: request.clientId,
    scopes: request.scopes,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + request.ttlSeconds * 1000),
    revokedAt: null,
    familyId: null,
  })
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: request.ttlSeconds,
    scope: request.scopes.join(' '),
  }
}

export async function revokeToken(store: Store, accessToken: string): Promise<void> {
  const found = await store.revokeAccessToken(hashSecret(accessToken), new Date())
  if (!found) {
    throw new OperationError('no such access token; check that the whole token was given')
  }
}

/** Sets a user's sign-in password, hashed with scrypt. */
export async function setPassword(store: Store, userId: number, password: string): Promise<void> {
  await requireUser(store, userId)
  const problem = checkNewPassword(password)
  if (problem !== null) {
    throw new OperationError(problem)
  }
  await store.setPasswordHash(userId, await hashPassword(password))
}

/** Returns the applications a user agreed to, with their names. */
export async function listConsents(store: Store, userId: number) {
  await requireUser(store, userId)
  const consents = await store.listConsents(userId)
  return Promise.all(
    consents.map(async (consent) => ({
      ...consent,
      clientName: (await store.findClient(consent.clientId))?.name ?? null,
    })),
  )
}

/**
 * Withdraws a user's consent for a client, whole or for some scopes, and
 * revokes every token the user granted that client. Refreshing a token
 * that carries a withdrawn scope then fails.
 */
export async function revokeConsent(
  store: Store,
  userId: number,
  clientId: string,
  scopes: readonly string[] | undefined,
): Promise<readonly string[]> {
  await requireUser(store, userId)
  const consent = await store.findConsent(userId, clientId)
  if (consent === null) {
    throw new OperationError(
      `user ${userId} has not agreed to client ${JSON.stringify(clientId)}; see: consent list`,
    )
  }
  const remaining =
    scopes === undefined ? [] : consent.scopes.filter((scope) => !scopes.includes(scope))
  if (remaining.length === 0) {
    await store.deleteConsent(userId, clientId)
  } else {
    await store.saveConsent({ ...consent, scopes: remaining })
  }
  await store.revokeUserClientTokens(userId, clientId, new Date())
  return remaining
}

/** Validates a settings document with the API's save rules and stores it, as the operator. */
export async function setSettings(
  store: Store,
  userId: number,
  document: InputValue,
  phoneNumberCheck: PhoneNumberCheck,
): Promise<PhoneChatSettings> {
  await requireUser(store, userId)
  try {
    const saved = await saveSettings(store, {
      userId,
      document,
      actor: { kind: 'operator' },
      ifMatch: undefined,
      phoneNumberCheck,
      now: new Date(),
    })
    return saved.settings
  } catch (error) {
    if (error instanceof ApiError) {
      const lines = (error.errors ?? []).map((entry) => `${entry.field} ${entry.problem}`)
      const message =
        lines.length > 0 ? `the settings are invalid: ${lines.join('; ')}` : error.message
      throw new OperationError(message, error.errors ?? [])
    }
    throw error
  }
}

/** Returns a user's settings audit trail, newest first. */
export async function listAudit(
  store: Store,
  userId: number,
  limit: number,
): Promise<readonly AuditEntry[]> {
  await requireUser(store, userId)
  return store.listSettingsAudit(userId, limit)
}
