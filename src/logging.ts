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

/** Query parameters whose values are replaced in logged URLs, lowercased. */
const SECRET_QUERY_PARAMETERS = new Set([
  'access_token',
  'apikey',
  'client_secret',
  'code',
  'refresh_token',
  'password',
  'api_key',
  'token',
  'code_verifier',
])

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase()
  } catch {
    return name.toLowerCase()
  }
}

/**
 * Replaces secret query values in a URL with `[Redacted]`. Names are
 * percent-decoded and lowercased first, as the query parser does, so
 * `api%4Bey` is redacted like `apiKey`.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?')
  if (queryStart === -1) {
    return url
  }
  const pairs = url.slice(queryStart + 1).split('&')
  const redacted = pairs.map((pair) => {
    const equals = pair.indexOf('=')
    const name = equals === -1 ? pair : pair.slice(0, equals)
    return SECRET_QUERY_PARAMETERS.has(decodeName(name)) ? `${name}=[Redacted]` : pair
  })
  return `${url.slice(0, queryStart)}?${redacted.join('&')}`
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
