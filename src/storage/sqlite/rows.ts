import type { Hundredths } from '../../domain/credits.js'
import type { AuditEntry, FieldChange } from '../../domain/settings-audit.js'
import type { PhoneChatSettings } from '../../domain/settings.js'
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  GroupRecord,
  RefreshTokenRecord,
  StoredSettings,
  UserRecord,
} from '../store.js'

// Rows as better-sqlite3 returns them, and their mapping to store records.
// Times are integer milliseconds since the Unix epoch; scopes are space-separated.

export interface UserRow {
  id: number
  nickname: string
  created_at: number
}

export interface GroupRow {
  id: number
  name: string
  manager_user_id: number
  created_at: number
}

export interface ClientRow {
  client_id: string
  name: string
  secret_hash: string | null
  api_key_hash: string
  redirect_uris: string
  allowed_scopes: string
  is_public: number
  allow_implicit: number
  created_at: number
}

export interface RefreshTokenRow {
  token_hash: string
  family_id: string
  user_id: number
  client_id: string
  scopes: string
  issued_at: number
  expires_at: number
  rotated_at: number | null
  revoked_at: number | null
}

export interface AuthorizationCodeRow {
  code_hash: string
  family_id: string
  user_id: number
  client_id: string
  redirect_uri: string
  scopes: string
  code_challenge: string | null
  code_challenge_method: string | null
  issued_at: number
  expires_at: number
  used_at: number | null
}

export interface ConsentRow {
  user_id: number
  client_id: string
  scopes: string
  granted_at: number
}

export interface AccessTokenRow {
  token_hash: string
  user_id: number
  client_id: string
  scopes: string
  issued_at: number
  expires_at: number
  revoked_at: number | null
  family_id: string | null
}

export interface AuditRow {
  id: number
  user_id: number
  version: number
  actor_user_id: number | null
  client_id: string | null
  changes: string
  at: number
}

export interface SettingsRow {
  user_id: number
  offer_direct_chat: number
  direct_chat_only: number | null
  direct_chat_ppm: number | null
  phone_chat_number: string | null
  show_phone_chat_number: number
  phone_chat_ppm: number | null
  version: number
  updated_at: number
}

export function settingsColumns(userId: number, settings: PhoneChatSettings): unknown[] {
  const directChat = settings.directChat
  return [
    userId,
    settings.offerDirectChat ? 1 : 0,
    directChat === null ? null : Number(directChat.directChatOnly),
    directChat?.directChatPpm ?? null,
    settings.phoneChatNumber,
    settings.showPhoneChatNumber ? 1 : 0,
    settings.phoneChatPpm,
  ]
}

export function mustExist<T>(row: T | undefined): T {
  if (row === undefined) {
    throw new Error('INSERT ... RETURNING returned no row')
  }
  return row
}

export function toUser(row: UserRow): UserRecord {
  return { id: row.id, nickname: row.nickname, createdAt: new Date(row.created_at) }
}

export function toGroup(row: GroupRow): GroupRecord {
  return {
    id: row.id,
    name: row.name,
    managerUserId: row.manager_user_id,
    createdAt: new Date(row.created_at),
  }
}

export function toClient(row: ClientRow): ClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    secretHash: row.secret_hash,
    apiKeyHash: row.api_key_hash,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    allowedScopes: splitScopes(row.allowed_scopes),
    isPublic: row.is_public === 1,
    allowImplicit: row.allow_implicit === 1,
    createdAt: new Date(row.created_at),
  }
}

export function splitScopes(scopes: string): string[] {
  return scopes === '' ? [] : scopes.split(' ')
}

export function dateOrNull(time: number | null): Date | null {
  return time === null ? null : new Date(time)
}

export function toRefreshToken(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    familyId: row.family_id,
    userId: row.user_id,
    clientId: row.client_id,
    scopes: splitScopes(row.scopes),
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    rotatedAt: dateOrNull(row.rotated_at),
    revokedAt: dateOrNull(row.revoked_at),
  }
}

export function toAuthorizationCode(row: AuthorizationCodeRow): AuthorizationCodeRecord {
  return {
    codeHash: row.code_hash,
    familyId: row.family_id,
    userId: row.user_id,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    scopes: splitScopes(row.scopes),
    codeChallenge: row.code_challenge,
    codeChallengeMethod: row.code_challenge_method,
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    usedAt: dateOrNull(row.used_at),
  }
}

export function toConsent(row: ConsentRow): ConsentRecord {
  return {
    userId: row.user_id,
    clientId: row.client_id,
    scopes: splitScopes(row.scopes),
    grantedAt: new Date(row.granted_at),
  }
}

export function toAccessToken(row: AccessTokenRow): AccessTokenRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    clientId: row.client_id,
    scopes: splitScopes(row.scopes),
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    revokedAt: dateOrNull(row.revoked_at),
    familyId: row.family_id,
  }
}

export function toStoredSettings(row: SettingsRow): StoredSettings {
  const offerDirectChat = row.offer_direct_chat === 1
  const directChat =
    offerDirectChat && row.direct_chat_only !== null && row.direct_chat_ppm !== null
      ? {
          directChatOnly: row.direct_chat_only === 1,
          directChatPpm: row.direct_chat_ppm as Hundredths,
        }
      : null
  return {
    userId: row.user_id,
    settings: {
      offerDirectChat,
      directChat,
      phoneChatNumber: row.phone_chat_number,
      showPhoneChatNumber: row.show_phone_chat_number === 1,
      phoneChatPpm: row.phone_chat_ppm as Hundredths | null,
    },
    version: row.version,
    updatedAt: new Date(row.updated_at),
  }
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    userId: row.user_id,
    version: row.version,
    actor:
      row.actor_user_id === null || row.client_id === null
        ? { kind: 'operator' }
        : { kind: 'user', userId: row.actor_user_id, clientId: row.client_id },
    changes: JSON.parse(row.changes) as FieldChange[],
    at: new Date(row.at),
  }
}
