import { Type } from 'typebox'

import { ProblemSchema } from '../schemas/problem.js'

/** `apiKey` query parameter, accepted by every authenticated endpoint. */
export const ApiKeyQuery = Type.Optional(
  Type.String({
    description: "Optional API key; when given, it must belong to the access token's client",
  }),
)

/** Error responses that every authenticated endpoint can return. */
export const AUTHENTICATED_ERROR_RESPONSES = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  406: ProblemSchema,
} as const
