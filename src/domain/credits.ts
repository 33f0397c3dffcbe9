/**
 * Credit amounts (prices per minute) are stored as integer hundredths of a
 * credit, so no value ever passes through binary floating point on its way
 * to or from the database.
 */
export type Hundredths = number & { readonly __unit: 'hundredths of a credit' }

/** Largest accepted price: 999.99 credits per minute. */
export const MAX_CREDITS = 99_999 as Hundredths

const PLAIN_DECIMAL = /^(?<units>0|[1-9][0-9]*)(?:\.(?<fraction>[0-9]+))?$/

export type CreditsParseResult =
  | { readonly ok: true; readonly value: Hundredths }
  | { readonly ok: false; readonly problem: string }

/**
 * Parses a decimal literal such as `12`, `0.5` or `999.99` into hundredths.
 * Rejects signs, exponents (`1e2`), more than two decimal places and values
 * above 999.99, so that every accepted text has exactly one stored value.
 */
export function parseCredits(text: string): CreditsParseResult {
  if (text.startsWith('-')) {
    return { ok: false, problem: `${text} is negative; prices must be 0 or more` }
  }
  const match = PLAIN_DECIMAL.exec(text)
  if (match?.groups === undefined) {
    return {
      ok: false,
      problem: `${text} is not a plain decimal number; write digits with an optional dot, such as 1.5`,
    }
  }
  const units = match.groups.units ?? '0'
  const fraction = match.groups.fraction ?? ''
  if (fraction.length > 2) {
    return { ok: false, problem: `${text} has more than two decimal places` }
  }
  if (units.length > 3) {
    return { ok: false, problem: `${text} is above the maximum of 999.99` }
  }
  const hundredths = Number(units) * 100 + Number(fraction.padEnd(2, '0'))
  return { ok: true, value: hundredths as Hundredths }
}

/** Formats hundredths as the shortest plain decimal: 110 -> "1.1", 1200 -> "12". */
export function formatCredits(value: Hundredths): string {
  const units = Math.trunc(value / 100)
  const fraction = String(value % 100).padStart(2, '0')
  if (fraction === '00') {
    return String(units)
  }
  return `${units}.${fraction.replace(/0$/, '')}`
}

/**
 * Converts hundredths to a JavaScript number for JSON output. The division is
 * correctly rounded, and every value up to 999.99 has fewer than 15
 * significant digits, so the number prints back as the exact decimal.
 */
export function creditsToNumber(value: Hundredths): number {
  return value / 100
}
