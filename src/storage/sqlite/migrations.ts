/** A schema change, applied once, in version order, inside a transaction. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
  /**
   * Runs with foreign key enforcement off, as SQLite requires for rebuilding
   * a table that others reference; the runner checks every key afterwards.
   */
  readonly rebuildsTables?: boolean
}

// Times are integer milliseconds since the Unix epoch. Prices are integer
// hundredths of a credit.
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        nickname TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        manager_user_id INTEGER NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX groups_manager_user_id ON groups (manager_user_id);

      CREATE TABLE group_members (
        user_id INTEGER PRIMARY KEY REFERENCES users (id),
        group_id INTEGER NOT NULL REFERENCES groups (id),
        added_at INTEGER NOT NULL
      );
      CREATE INDEX group_members_group_id ON group_members (group_id);

      CREATE TABLE api_clients (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        api_key_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE access_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        client_id TEXT NOT NULL REFERENCES api_clients (client_id),
        scopes TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX access_tokens_user_id ON access_tokens (user_id);

      CREATE TABLE phonechat_settings (
        user_id INTEGER PRIMARY KEY REFERENCES users (id),
        offer_direct_chat INTEGER NOT NULL CHECK (offer_direct_chat IN (0, 1)),
        direct_chat_only INTEGER CHECK (direct_chat_only IN (0, 1)),
        direct_chat_ppm INTEGER CHECK (direct_chat_ppm BETWEEN 0 AND 99999),
        phone_chat_number TEXT,
        show_phone_chat_number INTEGER NOT NULL CHECK (show_phone_chat_number IN (0, 1)),
        phone_chat_ppm INTEGER CHECK (phone_chat_ppm BETWEEN 0 AND 99999),
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK ((offer_direct_chat = 1) = (direct_chat_only IS NOT NULL AND direct_chat_ppm IS NOT NULL)),
        CHECK (show_phone_chat_number = 0 OR phone_chat_number IS NOT NULL)
      );
    `,
  },
  {
    version: 2,
    name: 'settings audit trail',
    sql: `
      CREATE TABLE settings_audit (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        version INTEGER NOT NULL,
        actor_user_id INTEGER REFERENCES users (id),
        client_id TEXT,
        changes TEXT NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (user_id, version),
        CHECK ((actor_user_id IS NULL) = (client_id IS NULL))
      );
    `,
  },
  {
    version: 3,
    name: 'OAuth 2.0 sign-in, codes, refresh tokens and consents',
    rebuildsTables: true,
    sql: `
      ALTER TABLE users ADD COLUMN password_hash TEXT;

      -- Public clients have no secret, so secret_hash becomes nullable.
      CREATE TABLE api_clients_new (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT,
        api_key_hash TEXT NOT NULL UNIQUE,
        redirect_uris TEXT NOT NULL DEFAULT '[]',
        allowed_scopes TEXT NOT NULL DEFAULT 'account_phonechat_bookings account_information',
        is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
        allow_implicit INTEGER NOT NULL DEFAULT 0 CHECK (allow_implicit IN (0, 1)),
        created_at INTEGER NOT NULL,
        CHECK ((is_public = 1) = (secret_hash IS NULL)),
        CHECK (is_public = 0 OR allow_implicit = 0)
      );
      INSERT INTO api_clients_new (client_id, name, secret_hash, api_key_hash, created_at)
        SELECT client_id, name, secret_hash, api_key_hash, created_at FROM api_clients;
      DROP TABLE api_clients;
      ALTER TABLE api_clients_new RENAME TO api_clients;

      ALTER TABLE access_tokens ADD COLUMN family_id TEXT;
      CREATE INDEX access_tokens_family_id ON access_tokens (family_id);
      CREATE INDEX access_tokens_user_client ON access_tokens (user_id, client_id);

      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id),
        client_id TEXT NOT NULL REFERENCES api_clients (client_id),
        scopes TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        rotated_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user_client ON refresh_tokens (user_id, client_id);

      CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id),
        client_id TEXT NOT NULL REFERENCES api_clients (client_id),
        redirect_uri TEXT NOT NULL,
        scopes TEXT NOT NULL,
        code_challenge TEXT,
        code_challenge_method TEXT,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );

      CREATE TABLE consents (
        user_id INTEGER NOT NULL REFERENCES users (id),
        client_id TEXT NOT NULL REFERENCES api_clients (client_id),
        scopes TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, client_id)
      );

      CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
]
