import { ApiError } from '../domain/errors.js'

/** The largest user ID: the maximum signed 32-bit integer. */
const MAX_USER_ID = 2_147_483_647

export const USER_ID_RULE =
  'must be a positive 32-bit integer in plain decimal digits, such as 1234'

/** Digits only, no sign or leading zero; the range is checked after parsing. */
export const USER_ID_PATTERN = '^[1-9][0-9]{0,9}$'

/**
 * Parses the `UserID` query parameter after schema validation has checked its
 * pattern.
 *
 * @throws ApiError `invalid_parameter` when the value is above 2147483647.
 */
export function parseUserIdParameter(value: string, where = 'Query parameter'): number {
  const userId = Number(value)
  if (!Number.isSafeInteger(userId) || userId < 1 || userId > MAX_USER_ID) {
    throw new ApiError(
      'invalid_parameter',
      `${where} UserID ${USER_ID_RULE}; got ${value.slice(0, 40)}`,
    )
  }
  return userId
}

/** Rule text for each validated parameter, used when schema validation fails. */
export const PARAMETER_RULES: Readonly<Record<string, string>> = {
  UserID: USER_ID_RULE,
}
