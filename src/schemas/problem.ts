import { Type, type Static } from 'typebox'

/** RFC 9457 problem details, with this server's `code` and `requestId` members. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI that identifies the problem type' }),
    title: Type.String({ description: 'Short summary of the problem type' }),
    status: Type.Integer({ description: 'HTTP status code' }),
    detail: Type.String({ description: 'What went wrong in this request, and how to fix it' }),
    code: Type.String({
      description: 'Stable error code to branch on',
      examples: ['invalid_token'],
    }),
    requestId: Type.String({ description: 'Value of the X-Request-Id response header' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({
            description: 'Path of the field, such as DirectChat.DirectChatPPM',
          }),
          problem: Type.String({
            description: 'What is wrong with the value, and the rule it breaks',
          }),
        }),
      ),
    ),
  },
  { $id: 'Problem' },
)

export type ProblemDocument = Static<typeof ProblemSchema>

/** Prefix of every problem `type` URI; the error code follows it. */
export const PROBLEM_TYPE_PREFIX = 'urn:phonechat-api:problem:'
