import type { AuditActor, AuditEntry, FieldChange } from '../domain/settings-audit.js'
import type { PhoneChatSettings } from '../domain/settings.js'

export interface UserRecord {
  readonly id: number
  readonly nickname: string
  readonly createdAt: Date
}

export interface GroupRecord {
  readonly id: number
  readonly name: string
  readonly managerUserId: number
  readonly createdAt: Date
}

/** A registered API client. Secrets are stored only as SHA-256 hashes. */
export interface ClientRecord {
  readonly clientId: string
  readonly name: string
  readonly secretHash: string
  readonly apiKeyHash: string
  readonly createdAt: Date
}

/** An issued access token, found by the SHA-256 hash of its value. */
export interface AccessTokenRecord {
  readonly tokenHash: string
  readonly userId: number
  readonly clientId: string
  readonly scopes: readonly string[]
  readonly issuedAt: Date
  readonly expiresAt: Date
  readonly revokedAt: Date | null
}

export interface StoredSettings {
  readonly userId: number
  readonly settings: PhoneChatSettings
  /** Increases by one with every save; the basis of the settings ETag. */
  readonly version: number
  readonly updatedAt: Date
}

/** A settings save, applied only if the stored version still equals `expectedVersion`. */
export interface SettingsWrite {
  readonly userId: number
  readonly settings: PhoneChatSettings
  /** The version the caller read; 0 when the user had no settings row. */
  readonly expectedVersion: number
  readonly actor: AuditActor
  readonly changes: readonly FieldChange[]
  readonly at: Date
}

/**
 * Persistence for every backend. Methods return Promises even where a driver
 * is synchronous, so backends can be swapped without changing callers.
 * Methods throw {@link StoreConflictError} or {@link StoreReferenceError}
 * (from `./store-errors.js`) when a write breaks a uniqueness or reference rule.
 */
export interface Store {
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
  /** Applies pending schema migrations and returns the versions applied. */
  migrate(): Promise<readonly number[]>

  createUser(nickname: string, at: Date): Promise<UserRecord>
  findUser(userId: number): Promise<UserRecord | null>

  createGroup(name: string, managerUserId: number, at: Date): Promise<GroupRecord>
  findGroup(groupId: number): Promise<GroupRecord | null>
  /** Adds a user to a group. A user belongs to at most one group. */
  addGroupMember(groupId: number, userId: number, at: Date): Promise<void>
  /** Returns whether the user manages at least one group. */
  isGroupManager(userId: number): Promise<boolean>
  /** Returns whether `memberUserId` belongs to a group that `managerUserId` manages. */
  isMemberOfManagedGroup(managerUserId: number, memberUserId: number): Promise<boolean>

  createClient(client: ClientRecord): Promise<void>
  findClient(clientId: string): Promise<ClientRecord | null>

  insertAccessToken(token: AccessTokenRecord): Promise<void>
  findAccessToken(tokenHash: string): Promise<AccessTokenRecord | null>
  /** Marks a token revoked; returns false when no such token exists. */
  revokeAccessToken(tokenHash: string, at: Date): Promise<boolean>

  getSettings(userId: number): Promise<StoredSettings | null>
  /**
   * Writes settings and their audit entry in one transaction, with the new
   * version `expectedVersion + 1`. Returns null and writes nothing when the
   * stored version differs from `expectedVersion`.
   */
  saveSettings(write: SettingsWrite): Promise<StoredSettings | null>
  /** Returns a user's audit entries, newest first. */
  listSettingsAudit(userId: number, limit: number): Promise<readonly AuditEntry[]>
}
