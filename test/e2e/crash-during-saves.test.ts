import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'

import Database from 'better-sqlite3'

import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { seedWorld } from '../helpers/test-server.js'

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
/** Concurrent request loops during the burst. */
const LOOPS = 8
/** Successful saves to wait for before the process is killed. */
const SAVES_BEFORE_KILL = 40

/** Builds a distinct valid body; `n` picks every field, so a mix of two bodies is detectable. */
function bodyFor(n: number) {
  const offer = n % 2 === 0
  return {
    OfferDirectChat: offer,
    ...(offer
      ? { DirectChat: { DirectChatOnly: n % 3 === 0, DirectChatPPM: (n % 900) + 0.5 } }
      : {}),
    PhoneChatNumber: `+447700900${String(n % 1000).padStart(3, '0')}`,
    ShowPhoneChatNumber: n % 5 !== 0,
    PhoneChatPPM: Number(((n % 1000) / 100 + 1).toFixed(2)),
  }
}

async function startServerProcess(databaseUrl: string) {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
  })
  child.stdout.resume()
  return { child, url }
}

describe('killed process during a burst of saves', () => {
  it('leaves every settings row equal to one saved body', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'phonechat-crash-'))
    const path = join(directory, 'crash.sqlite')
    try {
      const seedStore = new SqliteStore(path)
      await seedStore.migrate()
      const world = await seedWorld(seedStore)
      await seedStore.close()
      const users = [world.performer, world.newcomer, world.loner]

      const { child, url } = await startServerProcess(`sqlite:${path}`)
      const exited = once(child, 'exit')
      const sent = new Map<number, string[]>(users.map((user) => [user.id, []]))
      let saved = 0
      let counter = 0
      let killed = false
      const loop = async () => {
        while (!killed) {
          const n = counter++
          const user = users[n % users.length]!
          const body = JSON.stringify(bodyFor(n))
          sent.get(user.id)!.push(body)
          try {
            const response = await fetch(`${url}/v1/PhoneChat/SaveSettings`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${user.token}`,
                'content-type': 'application/json',
              },
              body,
            })
            await response.arrayBuffer()
            assert.equal(response.status, 200)
            saved++
          } catch (error) {
            if (!killed) {
              throw error
            }
          }
          if (saved >= SAVES_BEFORE_KILL && !killed) {
            killed = true
            child.kill('SIGKILL')
          }
        }
      }
      await Promise.all(Array.from({ length: LOOPS }, loop))
      await exited
      assert.ok(saved >= SAVES_BEFORE_KILL)

      const db = new Database(path)
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok')
      db.close()

      const store = new SqliteStore(path)
      try {
        for (const user of users) {
          const stored = await store.getSettings(user.id)
          assert.ok(stored, `user ${user.id} has no settings`)
          const response = await readBack(store, user.id)
          const candidates = (sent.get(user.id) ?? []).map((body) =>
            canonical(JSON.parse(body) as ReturnType<typeof bodyFor>),
          )
          assert.ok(
            candidates.includes(response),
            `settings of user ${user.id} match no saved body: ${response}`,
          )
          const audit = await store.listSettingsAudit(user.id, 100_000)
          const seeded = user.id === world.performer.id ? 1 : 0
          assert.equal(audit.length, stored.version, 'audit entries and settings versions disagree')
          assert.equal(audit[0]?.version, stored.version)
          assert.ok(stored.version > seeded, 'no save landed for the user')
        }
      } finally {
        await store.close()
      }
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })
})

/** Writes a body the way the server would return it, for comparison. */
function canonical(body: ReturnType<typeof bodyFor>): string {
  return JSON.stringify({
    OfferDirectChat: body.OfferDirectChat,
    ...(body.DirectChat === undefined ? {} : { DirectChat: body.DirectChat }),
    PhoneChatNumber: body.PhoneChatNumber,
    ShowPhoneChatNumber: body.ShowPhoneChatNumber,
    PhoneChatPPM: body.PhoneChatPPM,
  })
}

async function readBack(store: SqliteStore, userId: number): Promise<string> {
  const { toSettingsWire } = await import('../../src/schemas/settings.js')
  const stored = await store.getSettings(userId)
  return JSON.stringify(toSettingsWire(stored!.settings))
}
