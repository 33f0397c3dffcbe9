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

/** An operator request that cannot be carried out; the message says why and what to do. */
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
/** Longest lifetime an operator may give a token, in seconds: 30 days. */
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60

const MAX_NAME_LENGTH = 64

/** Checks a nickname or group name: 1 to 64 characters, no control characters. */
export function checkName(kind: string, name: string): string {
  const trimmed = name.trim()
  if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(trimmed)) {
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
  readonly client_secret: string
  readonly api_key: string
}

export async function createClient(store: Store, name: string): Promise<NewClient> {
  const clientName = checkName('client name', name)
  const credentials = {
    client_id: `client_${generateSecret().slice(0, 22)}`,
    client_secret: generateSecret(),
    api_key: generateSecret(),
  }
  await store.createClient({
    clientId: credentials.client_id,
    name: clientName,
    secretHash: hashSecret(credentials.client_secret),
    apiKeyHash: hashSecret(credentials.api_key),
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
