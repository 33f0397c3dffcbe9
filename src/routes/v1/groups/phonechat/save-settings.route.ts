import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { SCOPE_PHONECHAT } from '../../../../auth/scopes.js'
import { ApiError } from '../../../../domain/errors.js'
import type { InputValue } from '../../../../domain/input-value.js'
import { saveSettings } from '../../../../domain/settings-service.js'
import { decodedBodyOf } from '../../../../http/body.js'
import { actForMember } from '../../../../http/group-member.js'
import { callerOf } from '../../../../http/hooks.js'
import { parseUserIdParameter, USER_ID_PATTERN, USER_ID_RULE } from '../../../../http/parameters.js'
import { sendSettings } from '../../../../http/send-settings.js'
import { GroupSaveSettingsRequestSchema } from '../../../../schemas/settings.js'
import { ApiKeyQuery } from '../../../common-schemas.js'
import type { RouteContext } from '../../../route-context.js'
import { SAVE_SETTINGS_RESPONSES } from '../../../save-settings-schema.js'

/** POST /v1/Groups/PhoneChat/SaveSettings: saves a group member's settings, for the group's manager. */
export const saveMemberSettingsRoute: FastifyPluginAsyncTypebox<RouteContext> = async (
  app,
  { store, phoneNumberCheck },
) => {
  app.post(
    '/v1/Groups/PhoneChat/SaveSettings',
    {
      config: { auth: { scope: SCOPE_PHONECHAT }, negotiate: true },
      schema: {
        summary: 'Save PhoneChat Settings of a group member',
        description:
          'Saves the Phone Chat settings of a member of a group that the caller manages. UserID comes in the query string, the body, or both (then they must agree).',
        querystring: Type.Object({
          UserID: Type.Optional(
            Type.String({
              pattern: USER_ID_PATTERN,
              description: 'Member whose settings to save (the parameter name is case-insensitive)',
            }),
          ),
          apiKey: ApiKeyQuery,
        }),
        body: GroupSaveSettingsRequestSchema,
        response: SAVE_SETTINGS_RESPONSES,
      },
    },
    async (request, reply) => {
      const caller = callerOf(request)
      const { userIdText, document } = splitUserId(decodedBodyOf(request))
      const memberUserId = resolveUserId(request.query.UserID, userIdText)
      const principal = await actForMember(request, store, memberUserId, 'save')
      const saved = await saveSettings(store, {
        userId: principal.userId,
        document,
        actor: { kind: 'user', userId: caller.userId, clientId: caller.clientId },
        ifMatch: request.headers['if-match'],
        phoneNumberCheck,
        now: new Date(),
      })
      return sendSettings(request, reply, saved, { conditional: false })
    },
  )
}

/** Takes UserID out of the body, returning its text and the settings fields left. */
function splitUserId(document: InputValue): {
  userIdText: string | undefined
  document: InputValue
} {
  if (document.kind !== 'object' || !document.fields.has('UserID')) {
    return { userIdText: undefined, document }
  }
  const value = document.fields.get('UserID')
  const fields = new Map(document.fields)
  fields.delete('UserID')
  let userIdText: string
  if (value?.kind === 'number') {
    userIdText = value.text
  } else if (value?.kind === 'text') {
    userIdText = value.value.trim()
  } else {
    throw new ApiError('invalid_parameter', `Field UserID ${USER_ID_RULE}, given as a JSON number`)
  }
  if (!new RegExp(USER_ID_PATTERN).test(userIdText)) {
    throw new ApiError(
      'invalid_parameter',
      `Field UserID ${USER_ID_RULE}; got ${userIdText.slice(0, 40)}`,
    )
  }
  return { userIdText, document: { kind: 'object', fields } }
}

function resolveUserId(queryText: string | undefined, bodyText: string | undefined): number {
  if (queryText === undefined && bodyText === undefined) {
    throw new ApiError(
      'invalid_parameter',
      `UserID is required in the query string or the body; it ${USER_ID_RULE}`,
    )
  }
  const fromQuery = queryText === undefined ? undefined : parseUserIdParameter(queryText)
  const fromBody = bodyText === undefined ? undefined : parseUserIdParameter(bodyText, 'Field')
  if (fromQuery !== undefined && fromBody !== undefined && fromQuery !== fromBody) {
    throw new ApiError(
      'invalid_parameter',
      `UserID is ${fromQuery} in the query string but ${fromBody} in the body; send one value`,
    )
  }
  return fromQuery ?? fromBody ?? 0
}
