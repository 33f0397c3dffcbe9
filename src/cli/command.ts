import type { ParseArgsConfig } from 'node:util'

import type { Config } from '../config/config.js'
import type { Store } from '../storage/store.js'

/** A bad command line: exits with status 2 and prints the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

export interface CommandContext {
  readonly config: Config
  /** Opens the store on first use and applies pending migrations. */
  store(): Promise<Store>
}

/** Output of a command: one JSON object with --json, else text lines. */
export interface CommandOutput {
  readonly json: Record<string, unknown>
  readonly text: string
}

export interface Command {
  readonly usage: string
  readonly summary: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  /** Whether the command takes one positional argument, named in `usage`. */
  readonly positional?: string
  run(
    values: OptionValues,
    positional: string | undefined,
    context: CommandContext,
  ): Promise<CommandOutput>
}

/** Reads a required string option. */
export function requireOption(values: OptionValues, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`--${name} is required`)
  }
  return value
}

/** Reads a required positive integer ID option, such as --user 12. */
export function requireId(values: OptionValues, name: string): number {
  const text = requireOption(values, name)
  if (!/^[1-9][0-9]{0,9}$/.test(text) || Number(text) > 2_147_483_647) {
    throw new UsageError(
      `--${name} ${JSON.stringify(text)} is invalid; give a positive integer ID, such as 12`,
    )
  }
  return Number(text)
}
