import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Hundredths } from '../../src/domain/credits.js'
import { DEFAULT_SETTINGS, type PhoneChatSettings } from '../../src/domain/settings.js'
import { StoreConflictError, StoreReferenceError } from '../../src/storage/store-errors.js'
import type { Store } from '../../src/storage/store.js'

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
      const first = await store.putSettings(user.id, SETTINGS, AT)
      assert.deepEqual(first, { userId: user.id, settings: SETTINGS, version: 1, updatedAt: AT })
      assert.deepEqual(await store.getSettings(user.id), first)

      const later = new Date(AT.getTime() + 1000)
      const cleared = { ...DEFAULT_SETTINGS, phoneChatPpm: 0 as Hundredths }
      const second = await store.putSettings(user.id, cleared, later)
      assert.deepEqual(second, { userId: user.id, settings: cleared, version: 2, updatedAt: later })
    })

    it('rejects settings for a missing user', async () => {
      await assert.rejects(store.putSettings(987654, SETTINGS, AT), StoreReferenceError)
    })
  })
}
