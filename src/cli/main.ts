#!/usr/bin/env node
import { parseArgs } from 'node:util'

import { OperationError } from '../admin/operations.js'
import { ConfigError, loadConfig } from '../config/config.js'
import { openStore } from '../storage/open-store.js'
import type { Store } from '../storage/store.js'
import { UsageError, type CommandContext } from './command.js'
import { COMMANDS } from './commands.js'

function helpText(): string {
  const lines = Object.values(COMMANDS).map(
    (command) => `  ${command.usage.padEnd(78)}\n      ${command.summary}`,
  )
  return [
    'Usage: phonechat-api <command> [options] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command reads DATABASE_URL (default sqlite:./data/phonechat.sqlite).',
    '--json prints one JSON object, for scripts.',
  ].join('\n')
}

/** Finds the command named by the first one or two words of the arguments. */
function findCommand(args: readonly string[]) {
  const two = args.slice(0, 2).join(' ')
  if (COMMANDS[two] !== undefined) {
    return { name: two, command: COMMANDS[two], rest: args.slice(2) }
  }
  const one = args[0] ?? ''
  if (COMMANDS[one] !== undefined) {
    return { name: one, command: COMMANDS[one], rest: args.slice(1) }
  }
  return undefined
}

async function main(args: readonly string[]): Promise<number> {
  const json = args.includes('--json')
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    process.stdout.write(helpText() + '\n')
    return args.length === 0 ? 2 : 0
  }
  const found = findCommand(args)
  if (found === undefined) {
    return fail(json, 2, `unknown command: ${args.slice(0, 2).join(' ')}; run phonechat-api --help`)
  }
  const { name, command, rest } = found
  let store: Store | undefined
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean' } },
      allowPositionals: command.positional !== undefined,
      strict: true,
    })
    if (parsed.values.help === true) {
      process.stdout.write(`Usage: phonechat-api ${command.usage}\n${command.summary}\n`)
      return 0
    }
    if (parsed.positionals.length > 1) {
      throw new UsageError(
        `expected one ${command.positional ?? 'argument'}, got ${parsed.positionals.length}`,
      )
    }
    const config = loadConfig()
    const context: CommandContext = {
      config,
      async store() {
        if (store === undefined) {
          store = openStore(config.databaseUrl)
          await store.migrate()
        }
        return store
      },
    }
    const output = await command.run(parsed.values, parsed.positionals[0], context)
    process.stdout.write((json ? JSON.stringify(output.json) : output.text) + '\n')
    return 0
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      return fail(json, 2, `${(error as Error).message}\nUsage: phonechat-api ${command.usage}`)
    }
    if (error instanceof OperationError || error instanceof ConfigError) {
      return fail(json, 1, error.message, error instanceof OperationError ? error.fieldErrors : [])
    }
    return fail(
      json,
      1,
      `${name} failed: ${error instanceof Error ? error.message : String(error)}`,
    )
  } finally {
    await store?.close()
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = error instanceof TypeError ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
}

function fail(
  json: boolean,
  status: number,
  message: string,
  errors: readonly unknown[] = [],
): number {
  if (json) {
    const body = errors.length > 0 ? { error: message, errors } : { error: message }
    process.stderr.write(JSON.stringify(body) + '\n')
  } else {
    process.stderr.write(`phonechat-api: ${message}\n`)
  }
  return status
}

process.exitCode = await main(process.argv.slice(2))
