import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { SCOPE_PHONECHAT } from '../../../../auth/scopes.js'
import { readSettings } from '../../../../domain/settings-service.js'
import { actForMember } from '../../../../http/group-member.js'
import { parseUserIdParameter, USER_ID_PATTERN } from '../../../../http/parameters.js'
import { sendSettings } from '../../../../http/send-settings.js'
import { PhoneChatSettingsSchema } from '../../../../schemas/settings.js'
import { ApiKeyQuery, AUTHENTICATED_ERROR_RESPONSES } from '../../../common-schemas.js'
import type { RouteContext } from '../../../route-context.js'

/** GET /v1/Groups/PhoneChat/GetSettings: a group member's settings, for the group's manager. */
export const getMemberSettingsRoute: FastifyPluginAsyncTypebox<RouteContext> = async (
  app,
  { store },
) => {
  app.get(
    '/v1/Groups/PhoneChat/GetSettings',
    {
      config: { auth: { scope: SCOPE_PHONECHAT }, negotiate: true },
      schema: {
        summary: 'Get PhoneChat Settings of a group member',
        description:
          "Returns the Phone Chat settings of a member of a group that the caller manages. The scope is checked on the manager's token.",
        querystring: Type.Object({
          UserID: Type.String({
            pattern: USER_ID_PATTERN,
            description: 'Member whose settings to read (the parameter name is case-insensitive)',
          }),
          apiKey: ApiKeyQuery,
        }),
        response: { 200: PhoneChatSettingsSchema, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const memberUserId = parseUserIdParameter(request.query.UserID)
      const principal = await actForMember(request, store, memberUserId, 'read')
      const current = await readSettings(store, principal.userId)
      return sendSettings(request, reply, current, { conditional: true })
    },
  )
}
