import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

import Database from 'better-sqlite3'

import type { AuditEntry } from '../../domain/settings-audit.js'
import { StoreConflictError, StoreReferenceError } from '../store-errors.js'
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  GroupRecord,
  RefreshTokenRecord,
  SettingsWrite,
  Store,
  StoredSettings,
  UserRecord,
} from '../store.js'
import { SQLITE_MIGRATIONS } from './migrations.js'
import {
  mustExist,
  settingsColumns,
  toAccessToken,
  toAuditEntry,
  toAuthorizationCode,
  toClient,
  toConsent,
  toGroup,
  toRefreshToken,
  toStoredSettings,
  toUser,
  type AccessTokenRow,
  type AuditRow,
  type AuthorizationCodeRow,
  type ClientRow,
  type ConsentRow,
  type GroupRow,
  type RefreshTokenRow,
  type SettingsRow,
  type UserRow,
} from './rows.js'

/** Milliseconds to wait for another connection's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000

/** {@link Store} on an embedded SQLite database file, in WAL mode. */
export class SqliteStore implements Store {
  readonly #db: Database.Database

  /** Opens (and creates, when missing) the database at `path`; `:memory:` is allowed. */
  constructor(path: string) {
    if (path !== ':memory:') {
      createParentDirectories(path)
    }
    this.#db = new Database(path)
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.pragma('foreign_keys = ON')
    this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  }

  ping(): Promise<void> {
    return this.#run(() => {
      // Reads a table page, so a corrupt or vanished file fails; SELECT 1 reads none.
      this.#db.prepare('SELECT max(version) FROM schema_migrations').get()
    })
  }

  close(): Promise<void> {
    return this.#run(() => {
      if (this.#db.open) {
        this.#db.close()
      }
    })
  }

  migrate(): Promise<readonly number[]> {
    return this.#run(() => {
      this.#db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      )`)
      const applied = new Set(
        this.#db
          .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
          .all()
          .map((row) => row.version),
      )
      const pending = SQLITE_MIGRATIONS.filter((migration) => !applied.has(migration.version))
      const record = this.#db.prepare(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
      )
      for (const migration of pending) {
        // SQLite ignores this pragma inside a transaction, so it is set around it.
        if (migration.rebuildsTables === true) {
          this.#db.pragma('foreign_keys = OFF')
        }
        try {
          this.#db
            .transaction(() => {
              this.#db.exec(migration.sql)
              const broken = this.#db.pragma('foreign_key_check') as unknown[]
              if (broken.length > 0) {
                throw new Error(
                  `migration ${migration.version} left ${broken.length} broken foreign keys`,
                )
              }
              record.run(migration.version, migration.name, Date.now())
            })
            .immediate()
        } finally {
          this.#db.pragma('foreign_keys = ON')
        }
      }
      return pending.map((migration) => migration.version)
    })
  }

  createUser(nickname: string, at: Date): Promise<UserRecord> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string, number], UserRow>(
          'INSERT INTO users (nickname, created_at) VALUES (?, ?) RETURNING *',
        )
        .get(nickname, at.getTime())
      return toUser(mustExist(row))
    })
  }

  findUser(userId: number): Promise<UserRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?')
        .get(userId)
      return row === undefined ? null : toUser(row)
    })
  }

  createGroup(name: string, managerUserId: number, at: Date): Promise<GroupRecord> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string, number, number], GroupRow>(
          'INSERT INTO groups (name, manager_user_id, created_at) VALUES (?, ?, ?) RETURNING *',
        )
        .get(name, managerUserId, at.getTime())
      return toGroup(mustExist(row))
    })
  }

  findGroup(groupId: number): Promise<GroupRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number], GroupRow>('SELECT * FROM groups WHERE id = ?')
        .get(groupId)
      return row === undefined ? null : toGroup(row)
    })
  }

  addGroupMember(groupId: number, userId: number, at: Date): Promise<void> {
    return this.#run(() => {
      this.#db
        .prepare('INSERT INTO group_members (user_id, group_id, added_at) VALUES (?, ?, ?)')
        .run(userId, groupId, at.getTime())
    })
  }

  isGroupManager(userId: number): Promise<boolean> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number], { found: number }>(
          'SELECT 1 AS found FROM groups WHERE manager_user_id = ? LIMIT 1',
        )
        .get(userId)
      return row !== undefined
    })
  }

  isMemberOfManagedGroup(managerUserId: number, memberUserId: number): Promise<boolean> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number, number], { found: number }>(
          `SELECT 1 AS found FROM group_members m JOIN groups g ON g.id = m.group_id
           WHERE g.manager_user_id = ? AND m.user_id = ?`,
        )
        .get(managerUserId, memberUserId)
      return row !== undefined
    })
  }

  createClient(client: ClientRecord): Promise<void> {
    return this.#run(() => {
      this.#db
        .prepare(
          `INSERT INTO api_clients (client_id, name, secret_hash, api_key_hash, redirect_uris,
             allowed_scopes, is_public, allow_implicit, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          client.clientId,
          client.name,
          client.secretHash,
          client.apiKeyHash,
          JSON.stringify(client.redirectUris),
          client.allowedScopes.join(' '),
          client.isPublic ? 1 : 0,
          client.allowImplicit ? 1 : 0,
          client.createdAt.getTime(),
        )
    })
  }

  findClient(clientId: string): Promise<ClientRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string], ClientRow>('SELECT * FROM api_clients WHERE client_id = ?')
        .get(clientId)
      return row === undefined ? null : toClient(row)
    })
  }

  insertAccessToken(token: AccessTokenRecord): Promise<void> {
    return this.#run(() => {
      this.#db
        .prepare(
          `INSERT INTO access_tokens
             (token_hash, user_id, client_id, scopes, issued_at, expires_at, revoked_at, family_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          token.tokenHash,
          token.userId,
          token.clientId,
          token.scopes.join(' '),
          token.issuedAt.getTime(),
          token.expiresAt.getTime(),
          token.revokedAt?.getTime() ?? null,
          token.familyId,
        )
    })
  }

  findAccessToken(tokenHash: string): Promise<AccessTokenRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string], AccessTokenRow>('SELECT * FROM access_tokens WHERE token_hash = ?')
        .get(tokenHash)
      return row === undefined ? null : toAccessToken(row)
    })
  }

  revokeAccessToken(tokenHash: string, at: Date): Promise<boolean> {
    return this.#run(() => {
      const result = this.#db
        .prepare(
          `UPDATE access_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE token_hash = ?`,
        )
        .run(at.getTime(), tokenHash)
      return result.changes > 0
    })
  }

  findUserCredentials(
    nickname: string,
  ): Promise<{ readonly user: UserRecord; readonly passwordHash: string | null } | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string], UserRow & { password_hash: string | null }>(
          'SELECT * FROM users WHERE nickname = ?',
        )
        .get(nickname)
      return row === undefined ? null : { user: toUser(row), passwordHash: row.password_hash }
    })
  }

  setPasswordHash(userId: number, passwordHash: string): Promise<boolean> {
    return this.#run(
      () =>
        this.#db
          .prepare('UPDATE users SET password_hash = ? WHERE id = ?')
          .run(passwordHash, userId).changes > 0,
    )
  }

  findGroupOfUser(userId: number): Promise<GroupRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number, number], GroupRow>(
          `SELECT g.* FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ?
           UNION ALL
           SELECT * FROM (SELECT * FROM groups WHERE manager_user_id = ? ORDER BY id LIMIT 1)
           LIMIT 1`,
        )
        .get(userId, userId)
      return row === undefined ? null : toGroup(row)
    })
  }

  insertRefreshToken(token: RefreshTokenRecord): Promise<void> {
    return this.#run(() => {
      this.#db
        .prepare(
          `INSERT INTO refresh_tokens (token_hash, family_id, user_id, client_id, scopes,
             issued_at, expires_at, rotated_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          token.tokenHash,
          token.familyId,
          token.userId,
          token.clientId,
          token.scopes.join(' '),
          token.issuedAt.getTime(),
          token.expiresAt.getTime(),
          token.rotatedAt?.getTime() ?? null,
          token.revokedAt?.getTime() ?? null,
        )
    })
  }

  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string], RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?')
        .get(tokenHash)
      return row === undefined ? null : toRefreshToken(row)
    })
  }

  markRefreshTokenRotated(tokenHash: string, at: Date): Promise<boolean> {
    return this.#run(
      () =>
        this.#db
          .prepare(
            `UPDATE refresh_tokens SET rotated_at = ?
             WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL`,
          )
          .run(at.getTime(), tokenHash).changes > 0,
    )
  }

  revokeTokenFamily(familyId: string, at: Date): Promise<void> {
    return this.#run(() => {
      this.#db
        .transaction(() => {
          const time = at.getTime()
          this.#db
            .prepare(
              'UPDATE access_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
            )
            .run(time, familyId)
          this.#db
            .prepare(
              'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
            )
            .run(time, familyId)
        })
        .immediate()
    })
  }

  revokeUserClientTokens(userId: number, clientId: string, at: Date): Promise<void> {
    return this.#run(() => {
      this.#db
        .transaction(() => {
          this.#db
            .prepare(
              `UPDATE authorization_codes SET used_at = ?
               WHERE user_id = ? AND client_id = ? AND used_at IS NULL`,
            )
            .run(at.getTime(), userId, clientId)
          for (const table of ['access_tokens', 'refresh_tokens']) {
            this.#db
              .prepare(
                `UPDATE ${table} SET revoked_at = ?
                 WHERE user_id = ? AND client_id = ? AND revoked_at IS NULL`,
              )
              .run(at.getTime(), userId, clientId)
          }
        })
        .immediate()
    })
  }

  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void> {
    return this.#run(() => {
      this.#db
        .prepare(
          `INSERT INTO authorization_codes (code_hash, family_id, user_id, client_id,
             redirect_uri, scopes, code_challenge, code_challenge_method, issued_at,
             expires_at, used_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          code.codeHash,
          code.familyId,
          code.userId,
          code.clientId,
          code.redirectUri,
          code.scopes.join(' '),
          code.codeChallenge,
          code.codeChallengeMethod,
          code.issuedAt.getTime(),
          code.expiresAt.getTime(),
          code.usedAt?.getTime() ?? null,
        )
    })
  }

  findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[string], AuthorizationCodeRow>(
          'SELECT * FROM authorization_codes WHERE code_hash = ?',
        )
        .get(codeHash)
      return row === undefined ? null : toAuthorizationCode(row)
    })
  }

  markAuthorizationCodeUsed(codeHash: string, at: Date): Promise<boolean> {
    return this.#run(
      () =>
        this.#db
          .prepare(
            'UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL',
          )
          .run(at.getTime(), codeHash).changes > 0,
    )
  }

  saveConsent(consent: ConsentRecord): Promise<void> {
    return this.#run(() => {
      this.#db
        .prepare(
          `INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, client_id) DO UPDATE SET
             scopes = excluded.scopes, granted_at = excluded.granted_at`,
        )
        .run(
          consent.userId,
          consent.clientId,
          consent.scopes.join(' '),
          consent.grantedAt.getTime(),
        )
    })
  }

  findConsent(userId: number, clientId: string): Promise<ConsentRecord | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number, string], ConsentRow>(
          'SELECT * FROM consents WHERE user_id = ? AND client_id = ?',
        )
        .get(userId, clientId)
      return row === undefined ? null : toConsent(row)
    })
  }

  listConsents(userId: number): Promise<readonly ConsentRecord[]> {
    return this.#run(() =>
      this.#db
        .prepare<[number], ConsentRow>(
          'SELECT * FROM consents WHERE user_id = ? ORDER BY granted_at, client_id',
        )
        .all(userId)
        .map(toConsent),
    )
  }

  deleteConsent(userId: number, clientId: string): Promise<boolean> {
    return this.#run(
      () =>
        this.#db
          .prepare('DELETE FROM consents WHERE user_id = ? AND client_id = ?')
          .run(userId, clientId).changes > 0,
    )
  }

  getServerSecret(name: string, candidate: string): Promise<string> {
    return this.#run(() => {
      this.#db
        .prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING')
        .run(name, candidate)
      const row = this.#db
        .prepare<[string], { value: string }>('SELECT value FROM server_secrets WHERE name = ?')
        .get(name)
      return mustExist(row).value
    })
  }

  getSettings(userId: number): Promise<StoredSettings | null> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[number], SettingsRow>('SELECT * FROM phonechat_settings WHERE user_id = ?')
        .get(userId)
      return row === undefined ? null : toStoredSettings(row)
    })
  }

  saveSettings(write: SettingsWrite): Promise<StoredSettings | null> {
    return this.#run(() =>
      this.#db
        .transaction((): StoredSettings | null => {
          const current = this.#db
            .prepare<[number], { version: number }>(
              'SELECT version FROM phonechat_settings WHERE user_id = ?',
            )
            .get(write.userId)
          if ((current?.version ?? 0) !== write.expectedVersion) {
            return null
          }
          const version = write.expectedVersion + 1
          const row = this.#db
            .prepare<unknown[], SettingsRow>(
              `INSERT INTO phonechat_settings (user_id, offer_direct_chat, direct_chat_only,
                 direct_chat_ppm, phone_chat_number, show_phone_chat_number, phone_chat_ppm,
                 version, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (user_id) DO UPDATE SET
                 offer_direct_chat = excluded.offer_direct_chat,
                 direct_chat_only = excluded.direct_chat_only,
                 direct_chat_ppm = excluded.direct_chat_ppm,
                 phone_chat_number = excluded.phone_chat_number,
                 show_phone_chat_number = excluded.show_phone_chat_number,
                 phone_chat_ppm = excluded.phone_chat_ppm,
                 version = excluded.version,
                 updated_at = excluded.updated_at
               RETURNING *`,
            )
            .get(...settingsColumns(write.userId, write.settings), version, write.at.getTime())
          const actor = write.actor.kind === 'user' ? write.actor : null
          this.#db
            .prepare(
              `INSERT INTO settings_audit (user_id, version, actor_user_id, client_id, changes, at)
               VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(
              write.userId,
              version,
              actor?.userId ?? null,
              actor?.clientId ?? null,
              JSON.stringify(write.changes),
              write.at.getTime(),
            )
          return toStoredSettings(mustExist(row))
        })
        .immediate(),
    )
  }

  listSettingsAudit(userId: number, limit: number): Promise<readonly AuditEntry[]> {
    return this.#run(() =>
      this.#db
        .prepare<[number, number], AuditRow>(
          'SELECT * FROM settings_audit WHERE user_id = ? ORDER BY version DESC LIMIT ?',
        )
        .all(userId, limit)
        .map(toAuditEntry),
    )
  }

  /** Runs a synchronous driver call and turns constraint errors into store errors. */
  #run<T>(action: () => T): Promise<T> {
    try {
      return Promise.resolve(action())
    } catch (error) {
      return Promise.reject(translateError(error))
    }
  }
}

/**
 * Creates the missing folders above `path`, one level at a time.
 * NOTE: mkdirSync with `recursive: true` spins forever on Node.js 20 under
 * /proc (seen on v20.20), so each level is created without it.
 */
function createParentDirectories(path: string): void {
  const missing: string[] = []
  for (let folder = dirname(path); !existsSync(folder); folder = dirname(folder)) {
    missing.unshift(folder)
    if (dirname(folder) === folder) {
      break
    }
  }
  for (const folder of missing) {
    mkdirSync(folder)
  }
}

function translateError(error: unknown): Error {
  if (!(error instanceof Database.SqliteError)) {
    return error instanceof Error ? error : new Error(String(error))
  }
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new StoreConflictError(error.message, { cause: error })
  }
  if (error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new StoreReferenceError(error.message, { cause: error })
  }
  return error
}
