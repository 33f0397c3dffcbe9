import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Incoming ids that are safe to echo into headers and logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._~:-]{1,128}$/

/** Uses the caller's `X-Request-Id` when it is short and plain, else a new UUID. */
export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id']
  if (typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming)) {
    return incoming
  }
  return randomUUID()
}
