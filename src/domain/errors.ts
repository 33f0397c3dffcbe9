import type { FieldError } from './settings-rules.js'

/**
 * Every error the API returns, by stable code. Clients branch on `code`;
 * `title` is the short human summary that goes with it.
 */
export const ERROR_CATALOG = {
  unauthorized: { status: 401, title: 'Authentication required' },
  invalid_request: { status: 400, title: 'Invalid request' },
  invalid_token: { status: 401, title: 'Invalid access token' },
  invalid_api_key: { status: 401, title: 'Invalid API key' },
  insufficient_scope: { status: 403, title: 'Insufficient scope' },
  not_group_manager: { status: 403, title: 'Not a group manager' },
  not_group_member: { status: 403, title: 'Not a member of your group' },
  invalid_parameter: { status: 400, title: 'Invalid parameter' },
  validation_failed: { status: 400, title: 'Validation failed' },
  invalid_body: { status: 400, title: 'Invalid request body' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  request_timeout: { status: 408, title: 'Request timeout' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { readonly status: number; readonly title: string }>

export type ErrorCode = keyof typeof ERROR_CATALOG

export interface ApiErrorOptions {
  /** Field-level problems, for `validation_failed`. */
  readonly errors?: readonly FieldError[]
  /** Response headers that the error needs, such as `WWW-Authenticate` or `Allow`. */
  readonly headers?: Readonly<Record<string, string>>
  readonly cause?: unknown
}

/** An error with a catalog code; the HTTP layer renders it as problem details. */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly title: string
  readonly errors: readonly FieldError[] | undefined
  readonly headers: Readonly<Record<string, string>>

  constructor(code: ErrorCode, detail: string, options: ApiErrorOptions = {}) {
    super(detail, { cause: options.cause })
    this.name = 'ApiError'
    this.code = code
    this.status = ERROR_CATALOG[code].status
    this.title = ERROR_CATALOG[code].title
    this.errors = options.errors
    this.headers = options.headers ?? {}
  }
}
