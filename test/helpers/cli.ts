import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built admin CLI (`npm run build` first), as `phonechat-api ARGS`, against DATABASE_URL. */
export function runCli(args: readonly string[], databaseUrl: string): CliResult {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Runs the CLI with `input` on standard input. */
export function spawnCli(args: readonly string[], input: string, databaseUrl?: string): CliResult {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) },
    input,
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Runs a CLI command with --json, asserts success and returns the parsed object. */
export function runCliJson(args: readonly string[], databaseUrl: string): Record<string, unknown> {
  const result = runCli([...args, '--json'], databaseUrl)
  if (result.status !== 0) {
    throw new Error(`phonechat-api ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  }
  return JSON.parse(result.stdout) as Record<string, unknown>
}
