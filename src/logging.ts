import { pino, type DestinationStream, type Logger } from 'pino'

/** Paths whose values never reach the log: credentials, secrets and phone numbers. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-apikey"]',
  'req.headers.cookie',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.api_key',
  '*.password',
  '*.PhoneChatNumber',
  '*.phoneChatNumber',
]

/** Query parameters whose values are replaced in logged URLs. */
const SECRET_QUERY_PARAMETER =
  /([?&](?:access_token|apikey|client_secret|code|refresh_token)=)[^&#]*/gi

/** Replaces secret query values in a URL with `[Redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETER, '$1[Redacted]')
}

interface LoggedRequest {
  readonly id: string
  readonly method: string
  readonly url: string
  readonly ip?: string
}

/** Creates the process logger: newline-delimited JSON, numeric levels, secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      serializers: {
        req: (request: LoggedRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip,
        }),
      },
    },
    destination,
  )
}
