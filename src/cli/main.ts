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
    (command) => `  ${command.usage}\n      ${command.summary}`,
  )
  return [
    'Usage: phonechat-api <command> [options] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command reads DATABASE_URL (default sqlite:./data/phonechat.sqlite).',
    '--json prints one JSON object, for scripts.',
    'Exit status: 0 on success, 1 when a value is rejected, 2 when the command line is malformed.',
  ].join('\n')
}

/** Returns the option names given more than once, such as `--user 1 --user 2`. */
function repeatedOptions(args: readonly string[]): string[] {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const arg of args) {
    if (!arg.startsWith('--')) {
      continue
    }
    const name = arg.split('=')[0] ?? arg
    if (seen.has(name)) {
      repeated.add(name)
    }
    seen.add(name)
  }
  return [...repeated]
}

function unknownCommandMessage(args: readonly string[]): string {
  const first = args[0] ?? ''
  const related = Object.keys(COMMANDS).filter((name) => name.startsWith(`${first} `))
  if (related.length > 0) {
    return `${first} needs a subcommand: ${related.join(', ')}`
  }
  return `unknown command: ${args.slice(0, 2).join(' ')}; run phonechat-api --help`
}

/** Finds the command named by the first one or two words of the arguments. */
function findCommand(args: readonly string[]) {
  const twoWords = args.slice(0, 2).join(' ')
  if (COMMANDS[twoWords] !== undefined) {
    return { name: twoWords, command: COMMANDS[twoWords], rest: args.slice(2) }
  }
  const firstWord = args[0] ?? ''
  if (COMMANDS[firstWord] !== undefined) {
    return { name: firstWord, command: COMMANDS[firstWord], rest: args.slice(1) }
  }
  return undefined
}

async function main(allArgs: readonly string[]): Promise<number> {
  // --json may stand anywhere, also before the command words.
  const json = allArgs.includes('--json')
  const args = allArgs.filter((arg) => arg !== '--json')
  if (args[0] === '--version') {
    process.stdout.write(`${await packageVersion()}\n`)
    return 0
  }
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    process.stdout.write(helpText() + '\n')
    return args.length === 0 ? 2 : 0
  }
  const found = findCommand(args)
  if (found === undefined) {
    return fail(json, 2, unknownCommandMessage(args))
  }
  const { name, command, rest } = found
  let store: Store | undefined
  try {
    const repeated = repeatedOptions(rest).filter(
      (name) => command.options[name.slice(2)]?.multiple !== true,
    )
    if (repeated.length > 0) {
      throw new UsageError(`${repeated.join(', ')} given more than once; give each option once`)
    }
    // A positional argument may start with "-" (a base64url token can), so
    // everything that is not a --option is passed after the "--" separator.
    // Commands with a positional take no option values, so this is unambiguous.
    const args =
      command.positional === undefined
        ? [...rest]
        : [
            ...rest.filter((arg) => arg.startsWith('--') && arg !== '--'),
            '--',
            ...rest.filter((arg) => !arg.startsWith('--')),
          ]
    const parsed = parseArgs({
      args,
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

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as { version: string }).version
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
