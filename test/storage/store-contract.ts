import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Hundredths } from '../../src/domain/credits.js'
import { DEFAULT_SETTINGS, type PhoneChatSettings } from '../../src/domain/settings.js'
import { StoreConflictError, StoreReferenceError } from '../../src/storage/store-errors.js'
import type { SettingsWrite, Store } from '../../src/storage/store.js'

/** A backend under test: a fresh, empty, migrated store and a way to dispose of it. */
export interface StoreFactory {
  create(): Promise<Store>
  destroy(store: Store): Promise<void>
}

const AT = new Date('2026-01-02T03:04:05.678Z')

const SETTINGS: PhoneChatSettings = {
  offerDirectChat: true,
  directChat: { directChatOnly: true, directChatPpm: 99999 as Hundredths },
  phoneChatNumber: '+447700900123',
  showPhoneChatNumber: true,
  phoneChatPpm: 1 as Hundredths,
}

function write(
  userId: number,
  settings: PhoneChatSettings,
  expectedVersion: number,
  at: Date,
): SettingsWrite {
  return { userId, settings, expectedVersion, actor: { kind: 'operator' }, changes: [], at }
}

/** The behaviour every {@link Store} implementation must share. */
export function runStoreContract(backend: string, factory: StoreFactory): void {
  describe(`${backend} store`, () => {
    let store: Store

    before(async () => {
      store = await factory.create()
    })
    after(() => factory.destroy(store))

    it('answers ping', async () => {
      await store.ping()
    })

    it('applies no migration twice', async () => {
      assert.deepEqual(await store.migrate(), [])
    })

    it('creates and finds users', async () => {
      const user = await store.createUser('contract-user', AT)
      assert.ok(user.id > 0)
      assert.deepEqual(await store.findUser(user.id), {
        id: user.id,
        nickname: 'contract-user',
        createdAt: AT,
      })
      assert.equal(await store.findUser(user.id + 1000), null)
    })

    it('rejects a duplicate nickname', async () => {
      await store.createUser('twin', AT)
      await assert.rejects(store.createUser('twin', AT), StoreConflictError)
    })

    it('tracks group managers and members', async () => {
      const manager = await store.createUser('contract-manager', AT)
      const member = await store.createUser('contract-member', AT)
      const stranger = await store.createUser('contract-stranger', AT)
      assert.equal(await store.isGroupManager(manager.id), false)
      const group = await store.createGroup('Contract Group', manager.id, AT)
      assert.deepEqual(await store.findGroup(group.id), {
        id: group.id,
        name: 'Contract Group',
        managerUserId: manager.id,
        createdAt: AT,
      })
      await store.addGroupMember(group.id, member.id, AT)
      assert.equal(await store.isGroupManager(manager.id), true)
      assert.equal(await store.isGroupManager(member.id), false)
      assert.equal(await store.isMemberOfManagedGroup(manager.id, member.id), true)
      assert.equal(await store.isMemberOfManagedGroup(manager.id, stranger.id), false)
      assert.equal(await store.isMemberOfManagedGroup(member.id, manager.id), false)
    })

    it('keeps a user in at most one group', async () => {
      const a = await store.createUser('manager-a', AT)
      const b = await store.createUser('manager-b', AT)
      const member = await store.createUser('member-ab', AT)
      const groupA = await store.createGroup('A', a.id, AT)
      const groupB = await store.createGroup('B', b.id, AT)
      await store.addGroupMember(groupA.id, member.id, AT)
      await assert.rejects(store.addGroupMember(groupB.id, member.id, AT), StoreConflictError)
    })

    it('rejects references to missing rows', async () => {
      await assert.rejects(store.createGroup('Orphan', 987654, AT), StoreReferenceError)
      const user = await store.createUser('lonely', AT)
      await assert.rejects(store.addGroupMember(987654, user.id, AT), StoreReferenceError)
    })

    it('stores clients and access tokens', async () => {
      const user = await store.createUser('token-owner', AT)
      const client = {
        clientId: 'client-contract',
        name: 'Contract',
        secretHash: 'a'.repeat(64),
        apiKeyHash: 'b'.repeat(64),
        redirectUris: ['https://app.example/callback'],
        allowedScopes: ['account_phonechat_bookings'],
        isPublic: false,
        allowImplicit: false,
        createdAt: AT,
      }
      await store.createClient(client)
      assert.deepEqual(await store.findClient('client-contract'), client)
      assert.equal(await store.findClient('missing'), null)
      await assert.rejects(store.createClient(client), StoreConflictError)

      const token = {
        tokenHash: 'c'.repeat(64),
        userId: user.id,
        clientId: client.clientId,
        scopes: ['account_phonechat_bookings', 'account_information'],
        issuedAt: AT,
        expiresAt: new Date(AT.getTime() + 1200_000),
        revokedAt: null,
        familyId: 'family-1',
      }
      await store.insertAccessToken(token)
      assert.deepEqual(await store.findAccessToken(token.tokenHash), token)
      assert.equal(await store.findAccessToken('d'.repeat(64)), null)

      const revokedAt = new Date(AT.getTime() + 60_000)
      assert.equal(await store.revokeAccessToken(token.tokenHash, revokedAt), true)
      assert.deepEqual((await store.findAccessToken(token.tokenHash))?.revokedAt, revokedAt)
      assert.equal(await store.revokeAccessToken(token.tokenHash, new Date()), true)
      assert.deepEqual((await store.findAccessToken(token.tokenHash))?.revokedAt, revokedAt)
      assert.equal(await store.revokeAccessToken('e'.repeat(64), new Date()), false)
    })

    it('saves and reads settings with versions', async () => {
      const user = await store.createUser('settings-owner', AT)
      assert.equal(await store.getSettings(user.id), null)
      const first = await store.saveSettings(write(user.id, SETTINGS, 0, AT))
      assert.deepEqual(first, { userId: user.id, settings: SETTINGS, version: 1, updatedAt: AT })
      assert.deepEqual(await store.getSettings(user.id), first)

      const later = new Date(AT.getTime() + 1000)
      const cleared = { ...DEFAULT_SETTINGS, phoneChatPpm: 0 as Hundredths }
      const second = await store.saveSettings(write(user.id, cleared, 1, later))
      assert.deepEqual(second, { userId: user.id, settings: cleared, version: 2, updatedAt: later })
    })

    it('rejects a save from a stale version and writes nothing', async () => {
      const user = await store.createUser('stale-writer', AT)
      assert.equal(await store.saveSettings(write(user.id, SETTINGS, 1, AT)), null)
      assert.equal(await store.getSettings(user.id), null)
      assert.ok(await store.saveSettings(write(user.id, SETTINGS, 0, AT)))
      const cleared = { ...DEFAULT_SETTINGS, phoneChatPpm: 5 as Hundredths }
      assert.equal(await store.saveSettings(write(user.id, cleared, 0, AT)), null)
      assert.deepEqual((await store.getSettings(user.id))?.settings, SETTINGS)
      assert.equal((await store.listSettingsAudit(user.id, 10)).length, 1)
    })

    it('records an audit entry with each save, newest first', async () => {
      const user = await store.createUser('audited', AT)
      const manager = await store.createUser('auditor', AT)
      const changes = [{ field: 'PhoneChatPPM', from: null, to: '0.01' }]
      await store.saveSettings({
        ...write(user.id, SETTINGS, 0, AT),
        actor: { kind: 'user', userId: manager.id, clientId: 'client-contract' },
        changes,
      })
      const later = new Date(AT.getTime() + 5000)
      await store.saveSettings(write(user.id, DEFAULT_SETTINGS, 1, later))
      const entries = await store.listSettingsAudit(user.id, 10)
      assert.equal(entries.length, 2)
      assert.equal(entries[0]?.version, 2)
      assert.deepEqual(entries[0]?.actor, { kind: 'operator' })
      assert.deepEqual(entries[0]?.at, later)
      assert.equal(entries[1]?.version, 1)
      assert.equal(entries[1]?.userId, user.id)
      assert.deepEqual(entries[1]?.actor, {
        kind: 'user',
        userId: manager.id,
        clientId: 'client-contract',
      })
      assert.deepEqual(entries[1]?.changes, changes)
      assert.equal((await store.listSettingsAudit(user.id, 1)).length, 1)
      assert.deepEqual(await store.listSettingsAudit(manager.id, 10), [])
    })

    it('rejects settings for a missing user', async () => {
      await assert.rejects(store.saveSettings(write(987654, SETTINGS, 0, AT)), StoreReferenceError)
    })
  })
}
