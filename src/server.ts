import type { FastifyInstance } from 'fastify'

import { buildApp } from './app.js'
import type { Config } from './config/config.js'
import { createLogger } from './logging.js'
import { openStore } from './storage/open-store.js'

/** A listening server and the way to stop it. */
export interface RunningServer {
  readonly app: FastifyInstance
  readonly url: string
  close(): Promise<void>
}

/** Opens the store, applies migrations and listens on the configured address. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.logLevel)
  const store = openStore(config.databaseUrl)
  const applied = await store.migrate()
  if (applied.length > 0) {
    logger.info({ versions: applied }, 'applied database migrations')
  }
  const app = await buildApp({
    store,
    logger,
    phoneNumberCheck: config.phoneNumberCheck,
    trustProxy: config.trustProxy,
  })
  const url = await app.listen({ host: config.host, port: config.port })
  let closing: Promise<void> | undefined
  return {
    app,
    url,
    close() {
      closing ??= (async () => {
        await app.close()
        await store.close()
      })()
      return closing
    },
  }
}

/**
 * Closes the server on SIGINT or SIGTERM: stops accepting connections,
 * finishes requests in flight, then closes the database.
 */
export function closeOnSignals(server: RunningServer): void {
  const shutdown = (signal: NodeJS.Signals): void => {
    server.app.log.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}
