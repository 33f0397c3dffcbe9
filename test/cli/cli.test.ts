import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { runCli, runCliJson, spawnCli } from '../helpers/cli.js'

describe('phonechat-api CLI', () => {
  let directory: string
  let db: string

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'phonechat-cli-'))
    db = `sqlite:${join(directory, 'cli.sqlite')}`
  })
  after(() => {
    rmSync(directory, { recursive: true, force: true })
  })

  it('migrates a new database', () => {
    assert.deepEqual(runCliJson(['migrate'], db), { migrated: true })
  })

  it('sets up users, a group, a client and a token', async () => {
    const performer = runCliJson(['user', 'create', '--nickname', 'Ava'], db)
    const manager = runCliJson(['user', 'create', '--nickname', 'Max'], db)
    assert.equal(typeof performer.UserID, 'number')
    const group = runCliJson(
      ['group', 'create', '--name', 'Studio', '--manager', String(manager.UserID)],
      db,
    )
    assert.equal(typeof group.GroupID, 'number')
    const added = runCliJson(
      ['group', 'add-member', '--group', String(group.GroupID), '--user', String(performer.UserID)],
      db,
    )
    assert.deepEqual(added, { GroupID: group.GroupID, UserID: performer.UserID })

    const client = runCliJson(['client', 'create', '--name', 'App'], db)
    assert.deepEqual(Object.keys(client).sort(), ['api_key', 'client_id', 'client_secret'])

    const token = runCliJson(
      [
        'token',
        'issue',
        '--user',
        String(performer.UserID),
        '--client',
        String(client.client_id),
        '--scopes',
        'account_phonechat_bookings,account_information',
      ],
      db,
    )
    assert.equal(token.token_type, 'Bearer')
    assert.equal(token.expires_in, 1200)
    assert.equal(token.scope, 'account_phonechat_bookings account_information')
    assert.match(String(token.access_token), /^[A-Za-z0-9_-]{43}$/)

    const short = runCliJson(
      [
        'token',
        'issue',
        '--user',
        String(performer.UserID),
        '--client',
        String(client.client_id),
        '--scopes',
        'account_phonechat_bookings',
        '--ttl',
        '60',
      ],
      db,
    )
    assert.equal(short.expires_in, 60)

    assert.deepEqual(runCliJson(['token', 'revoke', String(token.access_token)], db), {
      revoked: true,
    })
    const again = runCli(['token', 'revoke', String(token.access_token) + 'x'], db)
    assert.equal(again.status, 1)
  })

  it('saves settings checked by the save rules', () => {
    const user = runCliJson(['user', 'create', '--nickname', 'Cleo'], db)
    const data = JSON.stringify({
      OfferDirectChat: true,
      DirectChat: { DirectChatOnly: false, DirectChatPPM: 0.5 },
      PhoneChatNumber: '447700900321',
      ShowPhoneChatNumber: true,
      PhoneChatPPM: 1.1,
    })
    const saved = runCliJson(['settings', 'set', '--user', String(user.UserID), '--data', data], db)
    assert.deepEqual(saved, {
      OfferDirectChat: true,
      DirectChat: { DirectChatOnly: false, DirectChatPPM: 0.5 },
      PhoneChatNumber: '+447700900321',
      ShowPhoneChatNumber: true,
      PhoneChatPPM: 1.1,
    })
    assert.deepEqual(runCliJson(['settings', 'get', '--user', String(user.UserID)], db), saved)
  })

  it('rejects invalid settings naming the field and keeps the stored ones', () => {
    const user = runCliJson(['user', 'create', '--nickname', 'Dora'], db)
    const valid = '{"OfferDirectChat":false,"PhoneChatPPM":2}'
    runCliJson(['settings', 'set', '--user', String(user.UserID), '--data', valid], db)

    const result = runCli(
      [
        'settings',
        'set',
        '--user',
        String(user.UserID),
        '--data',
        '{"OfferDirectChat":true,"PhoneChatPPM":1.234}',
        '--json',
      ],
      db,
    )
    assert.equal(result.status, 1)
    const error = JSON.parse(result.stderr) as { error: string; errors: { field: string }[] }
    assert.deepEqual(error.errors.map((entry) => entry.field).sort(), [
      'DirectChat',
      'PhoneChatPPM',
    ])
    assert.match(error.error, /PhoneChatPPM/)
    assert.deepEqual(
      runCliJson(['settings', 'get', '--user', String(user.UserID)], db),
      JSON.parse(valid.replace('}', ',"PhoneChatNumber":null,"ShowPhoneChatNumber":false}')),
    )
  })

  const failures: [string, string[], number, RegExp][] = [
    ['an unknown command', ['frobnicate'], 2, /unknown command/],
    ['a missing option', ['user', 'create'], 2, /--nickname is required/],
    ['an unknown option', ['user', 'create', '--nickname', 'x', '--colour', 'red'], 2, /colour/],
    [
      'a bad ID',
      ['group', 'create', '--name', 'G', '--manager', 'abc'],
      2,
      /--manager "abc" is invalid/,
    ],
    [
      'a missing user',
      ['group', 'create', '--name', 'G', '--manager', '99999'],
      1,
      /user 99999 does not exist/,
    ],
    [
      'a missing group',
      ['group', 'add-member', '--group', '99999', '--user', '1'],
      1,
      /group 99999 does not exist/,
    ],
    ['a duplicate nickname', ['user', 'create', '--nickname', 'Ava'], 1, /taken/],
    ['an empty nickname', ['user', 'create', '--nickname', ' '], 1, /nickname/],
    [
      'an unknown scope',
      ['token', 'issue', '--user', '1', '--client', 'x', '--scopes', 'everything'],
      1,
      /scope "everything" is unknown/,
    ],
    [
      'a bad ttl',
      [
        'token',
        'issue',
        '--user',
        '1',
        '--client',
        'x',
        '--scopes',
        'account_information',
        '--ttl',
        '-5',
      ],
      2,
      /ttl/,
    ],
    [
      'a missing client',
      ['token', 'issue', '--user', '1', '--client', 'nope', '--scopes', 'account_information'],
      1,
      /client "nope" does not exist/,
    ],
    [
      'invalid JSON data',
      ['settings', 'set', '--user', '1', '--data', '{oops'],
      2,
      /not valid JSON/,
    ],
    [
      'a member already in a group',
      ['group', 'add-member', '--group', '1', '--user', '1'],
      1,
      /already a member/,
    ],
  ]
  for (const [name, args, status, message] of failures) {
    it(`exits ${status} on ${name}`, () => {
      const result = runCli(args, db)
      assert.equal(result.status, status, result.stderr)
      assert.match(result.stderr, message)
      const json = runCli([...args, '--json'], db)
      assert.equal(json.status, status)
      assert.match((JSON.parse(json.stderr) as { error: string }).error, message)
    })
  }

  it('lists audit entries newest first with masked numbers', () => {
    const user = runCliJson(['user', 'create', '--nickname', 'Edda'], db)
    const id = String(user.UserID)
    runCliJson(
      [
        'settings',
        'set',
        '--user',
        id,
        '--data',
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900555","PhoneChatPPM":1}',
      ],
      db,
    )
    runCliJson(
      [
        'settings',
        'set',
        '--user',
        id,
        '--data',
        '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900556","PhoneChatPPM":1.5}',
      ],
      db,
    )
    const audit = runCliJson(['audit', 'list', '--user', id], db) as {
      UserID: number
      entries: {
        version: number
        actor: unknown
        onBehalfOfMember: boolean
        changes: { field: string; from: string | null; to: string | null }[]
      }[]
    }
    assert.equal(audit.UserID, user.UserID)
    assert.deepEqual(
      audit.entries.map((entry) => entry.version),
      [2, 1],
    )
    assert.equal(audit.entries[0]?.actor, 'operator')
    assert.equal(audit.entries[0]?.onBehalfOfMember, false)
    assert.deepEqual(audit.entries[0]?.changes, [
      { field: 'PhoneChatNumber', from: '+44*******555', to: '+44*******556' },
      { field: 'PhoneChatPPM', from: '1', to: '1.5' },
    ])
    const text = runCli(['audit', 'list', '--user', id], db)
    assert.equal(text.status, 0)
    assert.match(text.stdout, /version 2 {2}by operator \(CLI\)/)
    assert.equal(text.stdout.includes('7700900'), false)
  })

  it('takes a token that starts with a dash', () => {
    const result = runCli(['token', 'revoke', '-JfIUnhFdoesnotexist', '--json'], db)
    assert.equal(result.status, 1)
    assert.match(result.stderr, /no such access token/)
  })

  it('rejects invisible characters in nicknames', () => {
    for (const nickname of ['Ev\u202eil', 'P1\u200b', 'a\u2028b']) {
      const result = runCli(['user', 'create', '--nickname', nickname], db)
      assert.equal(result.status, 1, JSON.stringify(nickname))
    }
  })

  it('registers OAuth clients and manages passwords and consents', async () => {
    const user = runCliJson(['user', 'create', '--nickname', 'Oona'], db)
    const id = String(user.UserID)
    const noInput = runCli(['user', 'set-password', '--user', id], db)
    assert.equal(noInput.status, 2)
    const short = spawnCli(['user', 'set-password', '--user', id], 'short', db)
    assert.equal(short.status, 1)
    assert.match(short.stderr, /10 to 128 characters/)
    const set = spawnCli(
      ['user', 'set-password', '--user', id, '--json'],
      'a good long password\n',
      db,
    )
    assert.equal(set.status, 0, set.stderr)
    assert.deepEqual(JSON.parse(set.stdout), { UserID: user.UserID, passwordSet: true })

    const confidential = runCliJson(
      [
        'client',
        'create',
        '--name',
        'Web',
        '--redirect-uri',
        'https://app.example/cb',
        '--redirect-uri',
        'http://127.0.0.1:8000/cb',
      ],
      db,
    )
    assert.ok(confidential.client_secret)
    const pub = runCliJson(
      [
        'client',
        'create',
        '--name',
        'Phone',
        '--public',
        '--redirect-uri',
        'com.example.app:/cb',
        '--scopes',
        'account_information',
      ],
      db,
    )
    assert.equal(pub.client_secret, undefined)
    for (const uri of ['http://app.example/cb', 'https://app.example/cb#x', 'not a uri']) {
      const bad = runCli(['client', 'create', '--name', 'Bad', '--redirect-uri', uri], db)
      assert.equal(bad.status, 1, uri)
      assert.match(bad.stderr, /redirect URI/)
    }

    assert.deepEqual(runCliJson(['consent', 'list', '--user', id], db), {
      UserID: user.UserID,
      consents: [],
    })
    const store = new SqliteStore(db.slice('sqlite:'.length))
    await store.saveConsent({
      userId: Number(user.UserID),
      clientId: String(confidential.client_id),
      scopes: ['account_phonechat_bookings', 'account_information'],
      grantedAt: new Date(),
    })
    await store.close()
    const listed = runCliJson(['consent', 'list', '--user', id], db) as {
      consents: { clientName: string; scopes: string[] }[]
    }
    assert.equal(listed.consents[0]?.clientName, 'Web')
    const partial = runCliJson(
      [
        'consent',
        'revoke',
        '--user',
        id,
        '--client',
        String(confidential.client_id),
        '--scopes',
        'account_information',
      ],
      db,
    )
    assert.deepEqual(partial.remainingScopes, ['account_phonechat_bookings'])
    const whole = runCliJson(
      ['consent', 'revoke', '--user', id, '--client', String(confidential.client_id)],
      db,
    )
    assert.deepEqual(whole.remainingScopes, [])
    const again = runCli(
      ['consent', 'revoke', '--user', id, '--client', String(confidential.client_id)],
      db,
    )
    assert.equal(again.status, 1)
  })

  it('rejects an option given twice', () => {
    const result = runCli(['user', 'create', '--nickname', 'A', '--nickname', 'B'], db)
    assert.equal(result.status, 2)
    assert.match(result.stderr, /--nickname given more than once/)
  })

  it('accepts --json before the command', () => {
    const result = runCli(['--json', 'migrate'], db)
    assert.equal(result.status, 0)
    assert.deepEqual(JSON.parse(result.stdout), { migrated: true })
  })

  it('names the subcommands of a bare group word', () => {
    const result = runCli(['token'], db)
    assert.equal(result.status, 2)
    assert.match(result.stderr, /token issue, token revoke/)
  })

  it('prints its version', () => {
    const result = runCli(['--version'], db)
    assert.equal(result.status, 0)
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/)
  })

  it('rejects an unsupported DATABASE_URL', () => {
    const result = runCli(['migrate'], 'postgres://nowhere/db')
    assert.equal(result.status, 1)
    assert.match(result.stderr, /DATABASE_URL/)
  })

  it('prints help listing every command', () => {
    const result = runCli(['--help'], db)
    assert.equal(result.status, 0)
    for (const command of [
      'migrate',
      'user create',
      'group add-member',
      'token revoke',
      'settings set',
      'serve',
    ]) {
      assert.ok(result.stdout.includes(command), command)
    }
  })
})
