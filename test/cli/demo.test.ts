import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'

const DEMO = fileURLToPath(new URL('../../dist/cli/demo.js', import.meta.url))

/** Starts the built demo in a scratch directory and resolves with everything it printed up to its prompt. */
async function startDemo(cwd: string) {
  const child = spawn(process.execPath, [DEMO], {
    cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo printed no prompt: ${output}${errors}`)),
      20_000,
    )
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Press Ctrl+C')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`demo exited ${code}: ${errors}`)))
  })
  return { child, output }
}

describe('npm run demo', () => {
  it('serves data that the printed curl commands read', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'phonechat-demo-'))
    const { child, output } = await startDemo(directory)
    try {
      const commands = output.split('\n').filter((line) => line.startsWith('curl '))
      assert.equal(commands.length, 7)
      const bodies = commands.map((command) =>
        execFileSync('bash', ['-c', command], { encoding: 'utf8' }),
      )
      assert.deepEqual(JSON.parse(bodies[0] ?? ''), {
        OfferDirectChat: true,
        DirectChat: { DirectChatOnly: false, DirectChatPPM: 2.5 },
        PhoneChatNumber: '+447700900123',
        ShowPhoneChatNumber: true,
        PhoneChatPPM: 1.75,
      })
      assert.match(
        bodies[1] ?? '',
        /^<\?xml .*<PhoneChatPPM>1.75<\/PhoneChatPPM><\/PhoneChatSettings>$/,
      )
      assert.deepEqual(JSON.parse(bodies[2] ?? ''), {
        OfferDirectChat: false,
        PhoneChatNumber: null,
        ShowPhoneChatNumber: false,
        PhoneChatPPM: null,
      })
      assert.equal(bodies[3], bodies[0])
      const savedForBea = JSON.stringify({
        OfferDirectChat: false,
        PhoneChatNumber: '+447700900456',
        ShowPhoneChatNumber: true,
        PhoneChatPPM: 1.2,
      })
      assert.equal(bodies[4], savedForBea)
      assert.equal(bodies[5], savedForBea)
      assert.deepEqual(JSON.parse(bodies[6] ?? ''), {
        UserID: 3,
        GroupID: 1,
        GroupName: 'Studio Nine',
        IsGroupManager: true,
      })
      const exports = output.split('\n').filter((line) => line.startsWith('export '))
      assert.equal(exports.length, 4)
      const authorize = /^# (http:\/\/127\.0\.0\.1:\d+\/OAuth\/Authorize\?\S+)$/m.exec(output)?.[1]
      assert.ok(authorize, 'no authorization URL printed')
      const page = await fetch(authorize)
      assert.equal(page.status, 200)
      assert.match(await page.text(), /Sign in to continue to Demo Planner/)
    } finally {
      child.kill('SIGTERM')
      const [code] = (await once(child, 'exit')) as [number | null]
      rmSync(directory, { recursive: true, force: true })
      assert.equal(code, 0, 'the demo did not shut down cleanly on SIGTERM')
    }
  })
})
