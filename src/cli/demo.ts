#!/usr/bin/env node
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'

import {
  addGroupMember,
  createClient,
  createGroup,
  createUser,
  issueToken,
  setPassword,
  setSettings,
} from '../admin/operations.js'
import { SCOPE_PHONECHAT } from '../auth/scopes.js'
import { loadConfig } from '../config/config.js'
import { parseJsonInput } from '../formats/json-input.js'
import { closeOnSignals, startServer } from '../server.js'
import { SqliteStore } from '../storage/sqlite/sqlite-store.js'
import type { Store } from '../storage/store.js'

/** Path of the demo database, which is recreated on every run. */
const DEMO_DATABASE = resolve('data/demo.sqlite')
/** Demo tokens live for a day, so the printed commands keep working for a while. */
const DEMO_TOKEN_TTL_SECONDS = 24 * 60 * 60
/** Password of every demo user, for the OAuth sign-in page. */
export const DEMO_PASSWORD = 'demo password 123'
/** Redirect URI of the demo OAuth client. Nothing listens there, so the browser shows an error and the code stays in the address bar. */
export const DEMO_REDIRECT_URI = 'http://127.0.0.1:9/callback'

interface DemoData {
  readonly performerToken: string
  readonly newcomerToken: string
  readonly managerToken: string
  readonly performerId: number
  readonly newcomerId: number
  readonly managerId: number
  readonly apiKey: string
  readonly clientId: string
  readonly clientSecret: string
}

async function seed(store: Store): Promise<DemoData> {
  const client = await createClient(store, {
    name: 'Demo Planner',
    redirectUris: [DEMO_REDIRECT_URI],
  })
  const performer = await createUser(store, 'Ava')
  const newcomer = await createUser(store, 'Bea')
  const manager = await createUser(store, 'Max')
  const group = await createGroup(store, 'Studio Nine', manager.id)
  await addGroupMember(store, group.id, performer.id)
  await addGroupMember(store, group.id, newcomer.id)
  for (const user of [performer, newcomer, manager]) {
    await setPassword(store, user.id, DEMO_PASSWORD)
  }
  const settings = {
    OfferDirectChat: true,
    DirectChat: { DirectChatOnly: false, DirectChatPPM: 2.5 },
    PhoneChatNumber: '+447700900123',
    ShowPhoneChatNumber: true,
    PhoneChatPPM: 1.75,
  }
  await setSettings(store, performer.id, parseJsonInput(JSON.stringify(settings)), 'possible')
  const tokenFor = async (userId: number) =>
    (
      await issueToken(store, {
        userId,
        clientId: client.client_id,
        scopes: [SCOPE_PHONECHAT, 'account_information'],
        ttlSeconds: DEMO_TOKEN_TTL_SECONDS,
      })
    ).access_token
  return {
    performerToken: await tokenFor(performer.id),
    newcomerToken: await tokenFor(newcomer.id),
    managerToken: await tokenFor(manager.id),
    performerId: performer.id,
    newcomerId: newcomer.id,
    managerId: manager.id,
    apiKey: client.api_key,
    clientId: client.client_id,
    clientSecret: client.client_secret ?? '',
  }
}

function curlCommands(url: string, data: DemoData): string {
  const authorizeUrl = new URL('/OAuth/Authorize', url)
  authorizeUrl.search = new URLSearchParams({
    response_type: 'code',
    client_id: data.clientId,
    redirect_uri: DEMO_REDIRECT_URI,
    scope: 'account_phonechat_bookings',
    state: 'demo',
  }).toString()
  return [
    '',
    'phonechat-api demo is running at ' + url,
    `Database: ${DEMO_DATABASE} (recreated on every run; manage it with`,
    `  DATABASE_URL=sqlite:${DEMO_DATABASE} npm run -s cli -- ...)`,
    `Users: Ava (UserID ${data.performerId}) and Bea (UserID ${data.newcomerId}) in the group Studio Nine,`,
    `  managed by Max (UserID ${data.managerId}). Each signs in with the password "${DEMO_PASSWORD}".`,
    '',
    '# Tokens for the README examples (valid for 24 hours):',
    `export AVA_TOKEN=${data.performerToken}`,
    `export BEA_TOKEN=${data.newcomerToken}`,
    `export MAX_TOKEN=${data.managerToken}`,
    `export CLIENT_ID=${data.clientId} CLIENT_SECRET=${data.clientSecret}`,
    '',
    '# Ava reads her own settings (she offers DirectChat):',
    `curl -s ${url}/v1/PhoneChat/GetSettings -H 'Authorization: Bearer ${data.performerToken}'`,
    '',
    '# The same, as XML:',
    `curl -s ${url}/v1/PhoneChat/GetSettings -H 'Authorization: Bearer ${data.performerToken}' -H 'Accept: application/xml'`,
    '',
    '# Bea never saved settings, so she gets the defaults:',
    `curl -s ${url}/v1/PhoneChat/GetSettings -H 'Authorization: Bearer ${data.newcomerToken}'`,
    '',
    '# Max manages the group "Studio Nine" and reads Ava\'s settings:',
    `curl -s '${url}/v1/Groups/PhoneChat/GetSettings?UserID=${data.performerId}' -H 'Authorization: Bearer ${data.managerToken}'`,
    '',
    '# Max saves new settings for Bea, then reads them back with the optional API key:',
    `curl -s -X POST '${url}/v1/Groups/PhoneChat/SaveSettings?UserID=${data.newcomerId}' -H 'Authorization: Bearer ${data.managerToken}' -H 'Content-Type: application/json' -d '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900456","ShowPhoneChatNumber":true,"PhoneChatPPM":1.2}'`,
    `curl -s '${url}/v1/Groups/PhoneChat/GetSettings?UserID=${data.newcomerId}' -H 'Authorization: Bearer ${data.managerToken}' -H 'X-ApiKey: ${data.apiKey}'`,
    '',
    '# Who Max is:',
    `curl -s ${url}/v1/account/verifyCredentials -H 'Authorization: Bearer ${data.managerToken}'`,
    '',
    '# OAuth 2.0: open this in a browser, sign in as Ava, allow, and read the code',
    `# from the address bar of ${DEMO_REDIRECT_URI} (that page does not exist):`,
    `# ${authorizeUrl.toString()}`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n')
}

async function main(): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(DEMO_DATABASE + suffix, { force: true })
  }
  const seedStore = new SqliteStore(DEMO_DATABASE)
  await seedStore.migrate()
  const data = await seed(seedStore)
  await seedStore.close()

  const config = { ...loadConfig(), databaseUrl: `sqlite:${DEMO_DATABASE}` }
  const server = await startServer(config)
  closeOnSignals(server)
  process.stdout.write(curlCommands(server.url, data))
}

main().catch((error: unknown) => {
  process.stderr.write(
    `phonechat-api demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exitCode = 1
})
