import { parseCredits, type Hundredths } from './credits.js'
import { describeInputValue, trimXmlWhitespace, type InputValue } from './input-value.js'
import { parsePhoneNumber, type PhoneNumberCheck } from './phone-number.js'
import type { DirectChatSettings, PhoneChatSettings } from './settings.js'

/** One broken rule, named by its field path such as `DirectChat.DirectChatPPM`. */
export interface FieldError {
  readonly field: string
  readonly problem: string
}

export type SettingsValidationResult =
  | { readonly ok: true; readonly settings: PhoneChatSettings }
  | { readonly ok: false; readonly errors: readonly FieldError[] }

export interface SettingsRuleOptions {
  readonly phoneNumberCheck: PhoneNumberCheck
}

const SETTINGS_FIELDS = [
  'OfferDirectChat',
  'DirectChat',
  'PhoneChatNumber',
  'ShowPhoneChatNumber',
  'PhoneChatPPM',
] as const
const DIRECT_CHAT_FIELDS = ['DirectChatOnly', 'DirectChatPPM'] as const

/** Keys that could reach an object's prototype if a later step copied them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Collects field errors so that one response lists every broken rule. */
class ErrorList {
  readonly errors: FieldError[] = []

  add(field: string, problem: string): undefined {
    this.errors.push({ field, problem })
    return undefined
  }
}

/**
 * Validates a settings document against the save rules and returns the
 * settings to store. `stored` supplies ShowPhoneChatNumber when the document
 * omits it. Nothing is returned unless every rule holds.
 */
export function validateSettingsInput(
  input: InputValue,
  stored: PhoneChatSettings,
  options: SettingsRuleOptions,
): SettingsValidationResult {
  const errors = new ErrorList()
  if (input.kind !== 'object') {
    errors.add(
      '(body)',
      `must be an object with the settings fields, not ${describeInputValue(input)}`,
    )
    return { ok: false, errors: errors.errors }
  }
  const fields = input.fields
  checkFieldNames(fields, SETTINGS_FIELDS, '', errors)

  const offerDirectChat = readBoolean(fields, 'OfferDirectChat', '', errors, true)
  const directChat = readDirectChat(fields.get('DirectChat'), offerDirectChat, errors)
  const phoneChatNumber = readPhoneChatNumber(fields.get('PhoneChatNumber'), options, errors)
  const phoneChatPpm = readDecimal(fields, 'PhoneChatPPM', '', errors)
  const showRequested = readBoolean(fields, 'ShowPhoneChatNumber', '', errors, false)

  let showPhoneChatNumber = showRequested ?? stored.showPhoneChatNumber
  if (phoneChatNumber === null) {
    if (showRequested === true) {
      errors.add(
        'ShowPhoneChatNumber',
        'is true but PhoneChatNumber is empty; send a PhoneChatNumber or set ShowPhoneChatNumber to false',
      )
    }
    showPhoneChatNumber = false
  }

  if (
    errors.errors.length > 0 ||
    offerDirectChat === undefined ||
    directChat === undefined ||
    phoneChatNumber === undefined ||
    phoneChatPpm === undefined
  ) {
    return { ok: false, errors: errors.errors }
  }
  return {
    ok: true,
    settings: { offerDirectChat, directChat, phoneChatNumber, showPhoneChatNumber, phoneChatPpm },
  }
}

function checkFieldNames(
  fields: ReadonlyMap<string, InputValue>,
  known: readonly string[],
  prefix: string,
  errors: ErrorList,
): void {
  for (const name of fields.keys()) {
    if (FORBIDDEN_KEYS.has(name)) {
      errors.add(`${prefix}${name}`, 'is a reserved key and is not allowed in a request body')
      continue
    }
    if (known.includes(name)) {
      continue
    }
    const sameSpelling = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase())
    const hint =
      sameSpelling === undefined
        ? `allowed fields are ${known.join(', ')}`
        : `did you mean ${sameSpelling}?`
    errors.add(`${prefix}${name}`, `is not a known field; ${hint}`)
  }
}

function readDirectChat(
  value: InputValue | undefined,
  offerDirectChat: boolean | undefined,
  errors: ErrorList,
): DirectChatSettings | null | undefined {
  const present = value !== undefined && value.kind !== 'null'
  if (offerDirectChat === false) {
    if (present) {
      return errors.add('DirectChat', 'must be omitted when OfferDirectChat is false')
    }
    return null
  }
  if (!present) {
    if (offerDirectChat === true) {
      return errors.add('DirectChat', 'is required when OfferDirectChat is true')
    }
    return undefined
  }
  if (value.kind !== 'object') {
    return errors.add(
      'DirectChat',
      `must be an object with DirectChatOnly and DirectChatPPM, not ${describeInputValue(value)}`,
    )
  }
  checkFieldNames(value.fields, DIRECT_CHAT_FIELDS, 'DirectChat.', errors)
  const directChatOnly = readBoolean(value.fields, 'DirectChatOnly', 'DirectChat.', errors, true)
  const directChatPpm = readDecimal(value.fields, 'DirectChatPPM', 'DirectChat.', errors)
  if (directChatOnly === undefined || directChatPpm === undefined) {
    return undefined
  }
  return { directChatOnly, directChatPpm }
}

function readBoolean(
  fields: ReadonlyMap<string, InputValue>,
  name: string,
  prefix: string,
  errors: ErrorList,
  required: boolean,
): boolean | undefined {
  const value = fields.get(name)
  const field = `${prefix}${name}`
  if (value === undefined || (value.kind === 'null' && !required)) {
    return required ? errors.add(field, 'is required; send true or false') : undefined
  }
  if (value.kind === 'boolean') {
    return value.value
  }
  // XML Schema's boolean type also spells true and false as 1 and 0.
  if (value.kind === 'text') {
    const text = trimXmlWhitespace(value.value)
    if (text === 'true' || text === '1') {
      return true
    }
    if (text === 'false' || text === '0') {
      return false
    }
  }
  return errors.add(field, `must be true or false, not ${describeInputValue(value)}`)
}

function readDecimal(
  fields: ReadonlyMap<string, InputValue>,
  name: string,
  prefix: string,
  errors: ErrorList,
): Hundredths | undefined {
  const value = fields.get(name)
  const field = `${prefix}${name}`
  const rule = 'a number from 0 to 999.99 with at most two decimal places'
  if (value === undefined || value.kind === 'null') {
    return errors.add(field, `is required; send ${rule}`)
  }
  let text: string
  if (value.kind === 'number') {
    text = value.text
  } else if (value.kind === 'text') {
    text = trimXmlWhitespace(value.value)
  } else if (value.kind === 'string') {
    return errors.add(field, `must be a JSON number, not the string ${describeInputValue(value)}`)
  } else {
    return errors.add(field, `must be ${rule}, not ${describeInputValue(value)}`)
  }
  const parsed = parseCredits(text)
  if (!parsed.ok) {
    return errors.add(field, `${parsed.problem}; send ${rule}`)
  }
  return parsed.value
}

function readPhoneChatNumber(
  value: InputValue | undefined,
  options: SettingsRuleOptions,
  errors: ErrorList,
): string | null | undefined {
  if (value === undefined || value.kind === 'null') {
    return null
  }
  if (value.kind !== 'string' && value.kind !== 'text') {
    return errors.add(
      'PhoneChatNumber',
      `must be a string such as "+447700900123" or null, not ${describeInputValue(value)}`,
    )
  }
  if (value.value === '') {
    return errors.add('PhoneChatNumber', 'is empty; send null to clear the number')
  }
  const parsed = parsePhoneNumber(value.value, options.phoneNumberCheck)
  if (!parsed.ok) {
    return errors.add('PhoneChatNumber', parsed.problem)
  }
  return parsed.e164
}
