import type { Store } from '../storage/store.js'
import { DEFAULT_SETTINGS, type PhoneChatSettings } from './settings.js'

/** Reads a user's settings, or the defaults for a user who never saved any. */
export async function readSettings(store: Store, userId: number): Promise<PhoneChatSettings> {
  const stored = await store.getSettings(userId)
  return stored?.settings ?? DEFAULT_SETTINGS
}
