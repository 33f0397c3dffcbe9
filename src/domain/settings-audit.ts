import { formatCredits, type Hundredths } from './credits.js'
import type { PhoneChatSettings } from './settings.js'

/** One changed field, with values as the API writes them and phone numbers masked. */
export interface FieldChange {
  readonly field: string
  readonly from: string | null
  readonly to: string | null
}

/** Author of a save: a user through an API client, or an operator through the admin CLI. */
export type AuditActor =
  | { readonly kind: 'user'; readonly userId: number; readonly clientId: string }
  | { readonly kind: 'operator' }

/** One successful save of a user's settings. */
export interface AuditEntry {
  readonly id: number
  /** The user whose settings changed. */
  readonly userId: number
  /** The settings version that the save produced. */
  readonly version: number
  readonly actor: AuditActor
  readonly changes: readonly FieldChange[]
  readonly at: Date
}

/**
 * Masks a phone number for the audit trail, keeping the leading country code
 * digits and the last three: `+447700900123` becomes `+44*******123`.
 */
export function maskPhoneNumber(e164: string): string {
  const visibleStart = 3
  const visibleEnd = 3
  if (e164.length <= visibleStart + visibleEnd) {
    return '*'.repeat(e164.length)
  }
  const hidden = e164.length - visibleStart - visibleEnd
  return e164.slice(0, visibleStart) + '*'.repeat(hidden) + e164.slice(-visibleEnd)
}

function credits(value: Hundredths | null | undefined): string | null {
  return value === null || value === undefined ? null : formatCredits(value)
}

/** Flattens settings into field paths and audit values. */
function auditValues(settings: PhoneChatSettings): ReadonlyMap<string, string | null> {
  const directChat = settings.offerDirectChat ? settings.directChat : null
  return new Map([
    ['OfferDirectChat', String(settings.offerDirectChat)],
    ['DirectChat.DirectChatOnly', directChat === null ? null : String(directChat.directChatOnly)],
    ['DirectChat.DirectChatPPM', credits(directChat?.directChatPpm)],
    [
      'PhoneChatNumber',
      settings.phoneChatNumber === null ? null : maskPhoneNumber(settings.phoneChatNumber),
    ],
    ['ShowPhoneChatNumber', String(settings.showPhoneChatNumber)],
    ['PhoneChatPPM', credits(settings.phoneChatPpm)],
  ])
}

/**
 * Lists the fields that differ between two settings values. A changed phone
 * number is listed even when both masked forms look the same.
 */
export function diffSettings(before: PhoneChatSettings, after: PhoneChatSettings): FieldChange[] {
  const old = auditValues(before)
  const changes: FieldChange[] = []
  for (const [field, to] of auditValues(after)) {
    const from = old.get(field) ?? null
    const numberChanged =
      field === 'PhoneChatNumber' && before.phoneChatNumber !== after.phoneChatNumber
    if (from !== to || numberChanged) {
      changes.push({ field, from, to })
    }
  }
  return changes
}
