import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { SCOPE_PHONECHAT } from '../../../auth/scopes.js'
import { readSettings } from '../../../domain/settings-service.js'
import { callerOf } from '../../../http/hooks.js'
import { sendSettings } from '../../../http/send-settings.js'
import { PhoneChatSettingsSchema } from '../../../schemas/settings.js'
import { ApiKeyQuery, AUTHENTICATED_ERROR_RESPONSES } from '../../common-schemas.js'
import type { RouteContext } from '../../route-context.js'

/** GET /v1/PhoneChat/GetSettings: the token user's own settings. */
export const getOwnSettingsRoute: FastifyPluginAsyncTypebox<RouteContext> = async (
  app,
  { store },
) => {
  app.get(
    '/v1/PhoneChat/GetSettings',
    {
      config: { auth: { scope: SCOPE_PHONECHAT }, negotiate: true },
      schema: {
        summary: 'Get PhoneChat Settings',
        description: "Returns the Phone Chat settings of the access token's user.",
        querystring: Type.Object({ apiKey: ApiKeyQuery }),
        response: { 200: PhoneChatSettingsSchema, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request)
      const current = await readSettings(store, caller.userId)
      return sendSettings(request, reply, current, { conditional: true })
    },
  )
}
