import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { FastifyInstance } from 'fastify'

import {
  addGroupMember,
  createClient,
  createGroup,
  createUser,
  issueToken,
  setSettings,
  type NewClient,
} from '../../src/admin/operations.js'
import { buildApp } from '../../src/app.js'
import { SCOPE_PHONECHAT } from '../../src/auth/scopes.js'
import { parseJsonInput } from '../../src/formats/json-input.js'
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Store } from '../../src/storage/store.js'
import { captureLogs, type CapturedLogs } from './log-capture.js'

export interface TestServer {
  readonly url: string
  /** The SQLite file, for tests that change rows behind the server's back. */
  readonly databasePath: string
  readonly app: FastifyInstance
  readonly store: Store
  readonly logs: CapturedLogs
  close(): Promise<void>
}

/** Starts the real app on a random loopback port, on a fresh SQLite file. */
export async function startTestServer(
  options: { readonly trustProxy?: boolean } = {},
): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'phonechat-test-'))
  const databasePath = join(directory, 'test.sqlite')
  const store = new SqliteStore(databasePath)
  await store.migrate()
  const logs = captureLogs()
  const app = await buildApp({
    store,
    logger: logs.logger,
    phoneNumberCheck: 'possible',
    trustProxy: options.trustProxy ?? false,
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    databasePath,
    app,
    store,
    logs,
    async close() {
      await app.close()
      await store.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}

/** Users, a group, a client and tokens that most end-to-end tests need. */
export interface World {
  readonly client: NewClient
  readonly otherClient: NewClient
  /** Offers DirectChat and has a number. */
  readonly performer: { readonly id: number; readonly token: string }
  /** Never saved settings; a member of the manager's group. */
  readonly newcomer: { readonly id: number; readonly token: string }
  /** Member of another manager's group. */
  readonly outsider: { readonly id: number; readonly token: string }
  readonly manager: { readonly id: number; readonly token: string }
  readonly otherManager: { readonly id: number; readonly token: string }
  /** A user who manages no group. */
  readonly loner: { readonly id: number; readonly token: string }
  /** A token for the performer without the Phone Chat scope. */
  readonly unscopedToken: string
  /** The manager's token without the Phone Chat scope. */
  readonly unscopedManagerToken: string
}

export const PERFORMER_SETTINGS = {
  OfferDirectChat: true,
  DirectChat: { DirectChatOnly: false, DirectChatPPM: 2.25 },
  PhoneChatNumber: '+447700900123',
  ShowPhoneChatNumber: true,
  PhoneChatPPM: 1.1,
}

export const OUTSIDER_SETTINGS = {
  OfferDirectChat: false,
  PhoneChatNumber: '+447700900456',
  ShowPhoneChatNumber: false,
  PhoneChatPPM: 3,
}

async function userWithToken(store: Store, nickname: string, clientId: string) {
  const user = await createUser(store, nickname)
  const token = await issueToken(store, {
    userId: user.id,
    clientId,
    scopes: [SCOPE_PHONECHAT],
    ttlSeconds: 600,
  })
  return { id: user.id, token: token.access_token }
}

export async function seedWorld(store: Store): Promise<World> {
  const client = await createClient(store, 'Test App')
  const otherClient = await createClient(store, 'Other App')
  const performer = await userWithToken(store, 'ava', client.client_id)
  const newcomer = await userWithToken(store, 'bea', client.client_id)
  const outsider = await userWithToken(store, 'cleo', client.client_id)
  const manager = await userWithToken(store, 'max', client.client_id)
  const otherManager = await userWithToken(store, 'nina', client.client_id)
  const loner = await userWithToken(store, 'olga', client.client_id)

  const group = await createGroup(store, 'Studio Nine', manager.id)
  await addGroupMember(store, group.id, performer.id)
  await addGroupMember(store, group.id, newcomer.id)
  const otherGroup = await createGroup(store, 'Studio Ten', otherManager.id)
  await addGroupMember(store, otherGroup.id, outsider.id)

  await setSettings(
    store,
    performer.id,
    parseJsonInput(JSON.stringify(PERFORMER_SETTINGS)),
    'possible',
  )
  await setSettings(
    store,
    outsider.id,
    parseJsonInput(JSON.stringify(OUTSIDER_SETTINGS)),
    'possible',
  )

  const unscoped = await issueToken(store, {
    userId: performer.id,
    clientId: client.client_id,
    scopes: ['account_information'],
    ttlSeconds: 600,
  })
  const unscopedManager = await issueToken(store, {
    userId: manager.id,
    clientId: client.client_id,
    scopes: ['account_information'],
    ttlSeconds: 600,
  })
  return {
    client,
    otherClient,
    performer,
    newcomer,
    outsider,
    manager,
    otherManager,
    loner,
    unscopedToken: unscoped.access_token,
    unscopedManagerToken: unscopedManager.access_token,
  }
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}
