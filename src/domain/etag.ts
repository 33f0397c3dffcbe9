import { createHash } from 'node:crypto'

import type { PhoneChatSettings } from './settings.js'

/** Representation whose entity tag is computed; each format has its own strong tag. */
export type TaggedFormat = 'json' | 'xml'

/**
 * Computes the strong entity tag (RFC 9110 section 8.8.3) of a settings
 * representation: the settings version, a short hash of the values (so a
 * restored backup cannot reuse a tag for other content) and the format.
 */
export function settingsEtag(
  version: number,
  settings: PhoneChatSettings,
  format: TaggedFormat,
): string {
  return formatEtag(etagBase(version, settings), format)
}

function etagBase(version: number, settings: PhoneChatSettings): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(settings))
    .digest('base64url')
    .slice(0, 10)
  return `${version}-${hash}`
}

function formatEtag(base: string, format: TaggedFormat): string {
  return `"${base}${format === 'xml' ? '-xml' : ''}"`
}

/** Splits an If-Match or If-None-Match value into entity tags; `*` stays as is. */
function parseEtagList(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')
}

/**
 * Evaluates If-Match with the strong comparison (RFC 9110 section 13.1.1).
 * A tag of either format matches, since both name the same stored settings.
 * Weak tags never match.
 */
export function ifMatchSucceeds(
  header: string,
  version: number,
  settings: PhoneChatSettings,
): boolean {
  const tags = parseEtagList(header)
  if (tags.includes('*')) {
    return true
  }
  const base = etagBase(version, settings)
  const current = [formatEtag(base, 'json'), formatEtag(base, 'xml')]
  return tags.some((tag) => current.includes(tag))
}

/**
 * Evaluates If-None-Match with the weak comparison (RFC 9110 section
 * 13.1.2): returns true when the client's copy is current, so a GET may
 * respond with 304.
 */
export function ifNoneMatchHits(header: string, currentEtag: string): boolean {
  const tags = parseEtagList(header)
  return tags.includes('*') || tags.some((tag) => tag.replace(/^W\//, '') === currentEtag)
}
