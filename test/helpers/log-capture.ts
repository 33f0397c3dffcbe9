import { Writable } from 'node:stream'

import type { Logger } from 'pino'

import { createLogger } from '../../src/logging.js'

/** A logger whose JSON lines are kept in memory, so tests can assert on what was logged. */
export interface CapturedLogs {
  readonly logger: Logger
  readonly lines: () => readonly Record<string, unknown>[]
  readonly text: () => string
}

export function captureLogs(): CapturedLogs {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'))
      callback()
    },
  })
  const logger = createLogger('info', stream)
  const text = (): string => chunks.join('')
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}
