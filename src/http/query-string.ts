import { parse } from 'node:querystring'

/**
 * Query parameter names this API reads, in their documented spelling. Clients
 * send both `UserID` and `userid`, so names match case-insensitively and are
 * rewritten to this spelling before validation.
 */
const CANONICAL_NAMES = new Map(
  ['UserID', 'apiKey', 'access_token'].map((name) => [name.toLowerCase(), name]),
)

/**
 * Parses a query string, folding known parameter names to their documented
 * spelling. A parameter given more than once, in any spelling, becomes an
 * array so that validation can reject it. The result has no prototype, so
 * keys such as `__proto__` are plain data.
 */
export function parseQueryString(query: string): Record<string, string | string[]> {
  // maxKeys 0: no limit, so a parameter after the 1000th is still seen and checked.
  const parsed = parse(query, '&', '=', { maxKeys: 0 })
  const result: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) {
      continue
    }
    const key = CANONICAL_NAMES.get(name.toLowerCase()) ?? name
    const existing = result[key]
    if (existing === undefined) {
      result[key] = value
    } else {
      result[key] = [existing, value].flat()
    }
  }
  return result
}
