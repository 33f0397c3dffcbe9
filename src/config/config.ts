import type { PhoneNumberCheck } from '../domain/phone-number.js'
import { DEFAULT_DATABASE_URL } from '../storage/open-store.js'

/** Settings read from the environment, checked once at start-up. */
export interface Config {
  readonly databaseUrl: string
  readonly host: string
  readonly port: number
  readonly logLevel: string
  readonly phoneNumberCheck: PhoneNumberCheck
  /**
   * Proxies trusted for the client address and protocol
   * (Fastify's trustProxy): false, true, or comma-separated addresses or subnets.
   */
  readonly trustProxy: boolean | string
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const PHONE_NUMBER_CHECKS: readonly PhoneNumberCheck[] = ['possible', 'valid']

/** An environment variable with a value the server cannot use. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/**
 * Reads the configuration from environment variables.
 *
 * @throws ConfigError naming the variable, its value and the accepted values.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT ?? '8080')
  const logLevel = env.LOG_LEVEL ?? 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL=${logLevel} is invalid; use one of ${LOG_LEVELS.join(', ')}`)
  }
  const phoneNumberCheck = env.PHONE_NUMBER_CHECK ?? 'possible'
  if (!(PHONE_NUMBER_CHECKS as readonly string[]).includes(phoneNumberCheck)) {
    throw new ConfigError(
      `PHONE_NUMBER_CHECK=${phoneNumberCheck} is invalid; use possible or valid`,
    )
  }
  return Object.freeze({
    trustProxy: parseTrustProxy(env.TRUST_PROXY ?? 'false'),
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    host: env.HOST ?? '127.0.0.1',
    port,
    logLevel,
    phoneNumberCheck: phoneNumberCheck as PhoneNumberCheck,
  })
}

function parseTrustProxy(text: string): boolean | string {
  if (text === 'false' || text === '') {
    return false
  }
  if (text === 'true') {
    return true
  }
  if (/^[0-9a-fA-F.:/, ]+$/.test(text) && /[.:]/.test(text)) {
    return text
  }
  throw new ConfigError(
    `TRUST_PROXY=${text} is invalid; use false, true, or proxy addresses or subnets such as 10.0.0.1,10.0.1.0/24`,
  )
}

function parsePort(text: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigError(`PORT=${text} is invalid; use a TCP port number from 0 to 65535`)
  }
  return port
}
