import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'

import Database from 'better-sqlite3'

import type { Hundredths } from '../../src/domain/credits.js'
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Store } from '../../src/storage/store.js'
import { runStoreContract } from './store-contract.js'

const directories = new Map<Store, string>()

runStoreContract('sqlite', {
  async create() {
    const directory = mkdtempSync(join(tmpdir(), 'phonechat-store-'))
    const store = new SqliteStore(join(directory, 'store.sqlite'))
    directories.set(store, directory)
    await store.migrate()
    return store
  },
  async destroy(store) {
    await store.close()
    rmSync(directories.get(store) ?? '', { recursive: true, force: true })
  },
})

describe('sqlite store file', () => {
  it('uses WAL mode and records applied migrations', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'phonechat-store-'))
    const path = join(directory, 'nested', 'store.sqlite')
    try {
      const store = new SqliteStore(path)
      assert.deepEqual(await store.migrate(), [1, 2, 3])
      await store.close()

      const db = new Database(path, { readonly: true })
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
      const versions = db.prepare('SELECT version FROM schema_migrations').all()
      db.close()
      assert.deepEqual(versions, [{ version: 1 }, { version: 2 }, { version: 3 }])
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })

  it('stores prices as integer hundredths', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'phonechat-store-'))
    const path = join(directory, 'store.sqlite')
    try {
      const store = new SqliteStore(path)
      await store.migrate()
      const user = await store.createUser('hundredths', new Date())
      await store.saveSettings({
        userId: user.id,
        settings: {
          offerDirectChat: false,
          directChat: null,
          phoneChatNumber: null,
          showPhoneChatNumber: false,
          phoneChatPpm: 110 as Hundredths,
        },
        expectedVersion: 0,
        actor: { kind: 'operator' },
        changes: [],
        at: new Date(),
      })
      await store.close()
      const db = new Database(path, { readonly: true })
      const row = db
        .prepare(
          'SELECT typeof(phone_chat_ppm) AS type, phone_chat_ppm AS value FROM phonechat_settings',
        )
        .get()
      db.close()
      assert.deepEqual(row, { type: 'integer', value: 110 })
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })
})
