import { ProblemSchema } from '../schemas/problem.js'
import { PhoneChatSettingsSchema } from '../schemas/settings.js'
import { AUTHENTICATED_ERROR_RESPONSES } from './common-schemas.js'

/** Responses of both SaveSettings endpoints. */
export const SAVE_SETTINGS_RESPONSES = {
  200: PhoneChatSettingsSchema,
  ...AUTHENTICATED_ERROR_RESPONSES,
  409: ProblemSchema,
  412: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
} as const
