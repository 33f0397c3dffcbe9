import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * Strictness of the phone number check, using libphonenumber's metadata:
 * - `possible`: the country calling code exists and the number has a length
 *   used in that country's numbering plan.
 * - `valid`: additionally, the number lies in a range that is allocated for
 *   use. Ranges reserved for drama (UK 07700 900000 to 900999) and ranges newer
 *   than the installed metadata fail this check.
 */
export type PhoneNumberCheck = 'possible' | 'valid'

export type PhoneNumberParseResult =
  { readonly ok: true; readonly e164: string } | { readonly ok: false; readonly problem: string }

const DIGITS_WITH_OPTIONAL_PLUS = /^\+?[0-9]+$/
/** Maximum length of a rejected number quoted in an error message. */
const MAX_SHOWN_LENGTH = 40

/**
 * Parses an international phone number (digits with an optional leading `+`,
 * starting with the country calling code) and returns it in E.164 form.
 */
export function parsePhoneNumber(input: string, check: PhoneNumberCheck): PhoneNumberParseResult {
  const text = input.length > MAX_SHOWN_LENGTH ? `${input.slice(0, MAX_SHOWN_LENGTH)}...` : input
  if (!DIGITS_WITH_OPTIONAL_PLUS.test(input)) {
    return {
      ok: false,
      problem: `${text} must contain only digits with an optional leading +, such as +447700900123`,
    }
  }
  const international = input.startsWith('+') ? input : `+${input}`
  if (international.startsWith('+0')) {
    return {
      ok: false,
      problem: `${text} must start with the country calling code, not 0 or 00`,
    }
  }
  const parsed = parsePhoneNumberFromString(international)
  if (parsed === undefined) {
    return {
      ok: false,
      problem: `${text} is too short or does not start with a known country calling code`,
    }
  }
  if (!parsed.isPossible()) {
    return {
      ok: false,
      problem: `${text} has the wrong number of digits for country code +${parsed.countryCallingCode}`,
    }
  }
  if (check === 'valid' && !parsed.isValid()) {
    return {
      ok: false,
      problem: `${text} is not in an allocated range for country code +${parsed.countryCallingCode}`,
    }
  }
  return { ok: true, e164: parsed.number }
}
