import type { Hundredths } from './credits.js'

/** DirectChat terms. This server's definition: the published API lists no fields for it. */
export interface DirectChatSettings {
  /** The performer takes DirectChat calls only, and no booked Phone Chat calls. */
  readonly directChatOnly: boolean
  readonly directChatPpm: Hundredths
}

/** A performer's Phone Chat settings, as stored. */
export interface PhoneChatSettings {
  readonly offerDirectChat: boolean
  /** Present exactly when `offerDirectChat` is true. */
  readonly directChat: DirectChatSettings | null
  /** E.164 number that clients call, or null when the performer calls the client. */
  readonly phoneChatNumber: string | null
  /** Shows the number on the profile page and in emails. Never true without a number. */
  readonly showPhoneChatNumber: boolean
  /** Credits per minute for booked Phone Chat calls; null until first set. */
  readonly phoneChatPpm: Hundredths | null
}

/** Settings of a performer who never saved any. */
export const DEFAULT_SETTINGS: PhoneChatSettings = Object.freeze({
  offerDirectChat: false,
  directChat: null,
  phoneChatNumber: null,
  showPhoneChatNumber: false,
  phoneChatPpm: null,
})
