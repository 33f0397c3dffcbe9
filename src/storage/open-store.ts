import { resolve } from 'node:path'

import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

/** Default location of the embedded database, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/phonechat.sqlite'

/**
 * Opens the store that a `DATABASE_URL` names. Supported form:
 * `sqlite:<path>` (relative paths resolve from the working directory;
 * `sqlite::memory:` is a private in-memory database).
 */
export function openStore(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length)
    if (path === '') {
      throw new Error(
        'DATABASE_URL "sqlite:" names no file; use sqlite:<path>, such as sqlite:./data/phonechat.sqlite',
      )
    }
    const file = path === ':memory:' ? path : resolve(path)
    try {
      return new SqliteStore(file)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(
        `cannot open the SQLite database ${file}: ${reason}; check that its folder can be created and written`,
        { cause: error },
      )
    }
  }
  throw new Error(
    `DATABASE_URL ${JSON.stringify(databaseUrl)} is not supported; use sqlite:<path>, such as ${DEFAULT_DATABASE_URL}`,
  )
}
