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
  /** Null for a public client, which has no secret and must use PKCE. */
  readonly secretHash: string | null
  readonly apiKeyHash: string
  /** Redirect URIs that the authorization endpoint accepts, compared exactly. */
  readonly redirectUris: readonly string[]
  /** Scopes the client may ask users to grant. */
  readonly allowedScopes: readonly string[]
  readonly isPublic: boolean
  /** May use the implicit grant; never for public clients, which must use PKCE. */
  readonly allowImplicit: boolean
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
  /** The grant the token came from; null for tokens issued by the admin CLI. */
  readonly familyId: string | null
}

/**
 * A refresh token. Each refresh rotates it: the old one gets `rotatedAt`
 * and the new one joins the same family, so a reused old token can revoke
 * the whole family.
 */
export interface RefreshTokenRecord {
  readonly tokenHash: string
  readonly familyId: string
  readonly userId: number
  readonly clientId: string
  readonly scopes: readonly string[]
  readonly issuedAt: Date
  readonly expiresAt: Date
  readonly rotatedAt: Date | null
  readonly revokedAt: Date | null
}

/** An authorization code (RFC 6749 section 4.1), found by its hash. */
export interface AuthorizationCodeRecord {
  readonly codeHash: string
  /** The family that tokens issued for this code join. */
  readonly familyId: string
  readonly userId: number
  readonly clientId: string
  readonly redirectUri: string
  readonly scopes: readonly string[]
  readonly codeChallenge: string | null
  readonly codeChallengeMethod: string | null
  readonly issuedAt: Date
  readonly expiresAt: Date
  readonly usedAt: Date | null
}

/** The scopes a user granted to a client. */
export interface ConsentRecord {
  readonly userId: number
  readonly clientId: string
  readonly scopes: readonly string[]
  readonly grantedAt: Date
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
  /** Resolves when the database can read a table. */
  ping(): Promise<void>
  close(): Promise<void>
  /** Applies pending schema migrations and returns the versions applied. */
  migrate(): Promise<readonly number[]>

  createUser(nickname: string, at: Date): Promise<UserRecord>
  findUser(userId: number): Promise<UserRecord | null>
  /** Finds a user by exact nickname, with the password hash (null when none is set). */
  findUserCredentials(
    nickname: string,
  ): Promise<{ readonly user: UserRecord; readonly passwordHash: string | null } | null>
  /** Sets a user's password hash; returns false when no such user exists. */
  setPasswordHash(userId: number, passwordHash: string): Promise<boolean>
  /** Returns the group the user belongs to, or else the first group the user manages. */
  findGroupOfUser(userId: number): Promise<GroupRecord | null>

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

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>
  /** Marks a live refresh token rotated; returns false when it was already rotated or revoked. */
  markRefreshTokenRotated(tokenHash: string, at: Date): Promise<boolean>
  /** Revokes every access and refresh token of a family. */
  revokeTokenFamily(familyId: string, at: Date): Promise<void>
  /** Revokes every access and refresh token that a user granted a client, and voids unused codes. */
  revokeUserClientTokens(userId: number, clientId: string, at: Date): Promise<void>

  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void>
  findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null>
  /** Marks an unused code used; returns false when it was already used. */
  markAuthorizationCodeUsed(codeHash: string, at: Date): Promise<boolean>

  /** Stores the full set of scopes a user grants a client, replacing any earlier set. */
  saveConsent(consent: ConsentRecord): Promise<void>
  findConsent(userId: number, clientId: string): Promise<ConsentRecord | null>
  listConsents(userId: number): Promise<readonly ConsentRecord[]>
  /** Deletes a consent; returns false when there was none. */
  deleteConsent(userId: number, clientId: string): Promise<boolean>

  /**
   * Returns the server secret called `name`, storing `candidate` first when
   * there is none yet, so every process on one database shares the value.
   */
  getServerSecret(name: string, candidate: string): Promise<string>

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
