import type { Store, StoredSettings } from '../storage/store.js'
import { ApiError } from './errors.js'
import { ifMatchSucceeds } from './etag.js'
import type { InputValue } from './input-value.js'
import type { PhoneNumberCheck } from './phone-number.js'
import { diffSettings, type AuditActor } from './settings-audit.js'
import { validateSettingsInput } from './settings-rules.js'
import { DEFAULT_SETTINGS, type PhoneChatSettings } from './settings.js'

/** Settings with the version they were read at; version 0 means never saved. */
export interface VersionedSettings {
  readonly settings: PhoneChatSettings
  readonly version: number
}

/** Attempts before a save that keeps losing races to other saves gives up. */
const MAX_SAVE_ATTEMPTS = 5

function versioned(stored: StoredSettings | null): VersionedSettings {
  return stored === null
    ? { settings: DEFAULT_SETTINGS, version: 0 }
    : { settings: stored.settings, version: stored.version }
}

/** Reads a user's settings, or the defaults for a user who never saved any. */
export async function readSettings(store: Store, userId: number): Promise<VersionedSettings> {
  return versioned(await store.getSettings(userId))
}

export interface SaveSettingsRequest {
  readonly userId: number
  readonly document: InputValue
  readonly actor: AuditActor
  /** The If-Match header, when the client sent one. */
  readonly ifMatch: string | undefined
  readonly phoneNumberCheck: PhoneNumberCheck
  readonly now: Date
}

/**
 * Validates and saves a settings document, with its audit entry, atomically.
 * The rules read the stored settings, because an omitted ShowPhoneChatNumber
 * keeps the stored value. So a save that races another one reads again and
 * retries, unless it carries If-Match, when it fails instead.
 *
 * @throws ApiError `precondition_failed`, `validation_failed` or `conflict`.
 */
export async function saveSettings(
  store: Store,
  request: SaveSettingsRequest,
): Promise<VersionedSettings> {
  for (let attempt = 1; attempt <= MAX_SAVE_ATTEMPTS; attempt++) {
    const current = await readSettings(store, request.userId)
    if (
      request.ifMatch !== undefined &&
      !ifMatchSucceeds(request.ifMatch, current.version, current.settings)
    ) {
      throw staleEtag()
    }
    const result = validateSettingsInput(request.document, current.settings, {
      phoneNumberCheck: request.phoneNumberCheck,
    })
    if (!result.ok) {
      const fields = [...new Set(result.errors.map((error) => error.field))].join(', ')
      throw new ApiError('validation_failed', `The settings are invalid: check ${fields}`, {
        errors: result.errors,
      })
    }
    const saved = await store.saveSettings({
      userId: request.userId,
      settings: result.settings,
      expectedVersion: current.version,
      actor: request.actor,
      changes: diffSettings(current.settings, result.settings),
      at: request.now,
    })
    if (saved !== null) {
      return versioned(saved)
    }
    if (request.ifMatch !== undefined) {
      throw staleEtag()
    }
  }
  throw new ApiError(
    'conflict',
    'The settings kept changing while this save was applied; send the request again',
  )
}

function staleEtag(): ApiError {
  return new ApiError(
    'precondition_failed',
    'The settings changed since the ETag in If-Match was issued; GET them again and retry with the new ETag',
  )
}
