import assert from 'node:assert/strict'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { chromium, type Browser } from 'playwright-core'

import {
  createClient,
  createUser,
  setPassword,
  type NewClient,
} from '../../src/admin/operations.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

const CHROMIUM = '/usr/bin/chromium'
const PASSWORD = 'browser test password'
/** Screenshots go to docs/ with UPDATE_SCREENSHOTS=1, else to a scratch folder. */
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/', import.meta.url))
    : mkdtempSync(join(tmpdir(), 'phonechat-screens-'))

const missing = !existsSync(CHROMIUM)
if (missing && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium package`)
}

describe(
  'OAuth pages in headless Chromium',
  { skip: missing ? `${CHROMIUM} is not installed (apt-get install chromium)` : false },
  () => {
    let server: TestServer
    let browser: Browser
    let callback: Server
    let callbackUrl: string
    let client: NewClient

    before(async () => {
      server = await startTestServer()
      const user = await createUser(server.store, 'petra')
      await setPassword(server.store, user.id, PASSWORD)
      callback = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('callback reached')
      })
      await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve))
      const address = callback.address()
      assert.ok(address !== null)
      assert.ok(typeof address === 'object')
      callbackUrl = `http://127.0.0.1:${address.port}/callback`
      client = await createClient(server.store, {
        name: 'Studio Planner',
        redirectUris: [callbackUrl],
      })
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      })
    })
    after(async () => {
      await browser.close()
      await new Promise((resolve) => callback.close(resolve))
      await server.close()
    })

    it('signs in, agrees and lands on the redirect URI with a code', async () => {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
      })
      const page = await context.newPage()
      const url = new URL('/OAuth/Authorize', server.url)
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: callbackUrl,
        scope: 'account_phonechat_bookings account_information',
        state: 'browser-state',
      }).toString()

      await page.goto(url.toString())
      assert.match(await page.locator('h1').innerText(), /Sign in to continue to Studio Planner/)
      await page.screenshot({ path: join(SCREENSHOTS, 'oauth-sign-in.png') })

      await page.fill('#nickname', 'petra')
      await page.fill('#password', PASSWORD)
      await Promise.all([
        page.waitForURL(/\/OAuth\/Authorize\?/),
        page.click('button[type=submit]'),
      ])
      assert.match(
        await page.locator('h1').innerText(),
        /Studio Planner wants to access your account/,
      )
      const scopes = await page.locator('li').allInnerTexts()
      assert.deepEqual(scopes, [
        'Read and change your Phone Chat settings',
        'See your user ID and your group membership',
      ])
      await page.screenshot({ path: join(SCREENSHOTS, 'oauth-consent.png') })

      const cookies = await context.cookies()
      const session = cookies.find((cookie) => cookie.name === 'phonechat_session')
      assert.ok(session)
      assert.equal(session.httpOnly, true)
      assert.equal(session.sameSite, 'Lax')

      await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=allow]')])
      const landed = new URL(page.url())
      assert.equal(landed.origin + landed.pathname, callbackUrl)
      assert.ok(landed.searchParams.get('code'))
      assert.equal(landed.searchParams.get('state'), 'browser-state')
      assert.equal(await page.locator('body').innerText(), 'callback reached')
      await context.close()
    })
  },
)
