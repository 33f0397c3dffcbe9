import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { SCOPE_PHONECHAT } from '../../../auth/scopes.js'
import { saveSettings } from '../../../domain/settings-service.js'
import { decodedBodyOf } from '../../../http/body.js'
import { callerOf } from '../../../http/hooks.js'
import { sendSettings } from '../../../http/send-settings.js'
import { SaveSettingsRequestSchema } from '../../../schemas/settings.js'
import { ApiKeyQuery } from '../../common-schemas.js'
import type { RouteContext } from '../../route-context.js'
import { SAVE_SETTINGS_RESPONSES } from '../../save-settings-schema.js'

/** POST /v1/PhoneChat/SaveSettings: saves the token user's own settings. */
export const saveOwnSettingsRoute: FastifyPluginAsyncTypebox<RouteContext> = async (
  app,
  { store, phoneNumberCheck },
) => {
  app.post(
    '/v1/PhoneChat/SaveSettings',
    {
      config: { auth: { scope: SCOPE_PHONECHAT }, negotiate: true },
      schema: {
        summary: 'Save PhoneChat Settings',
        description:
          "Saves the Phone Chat settings of the access token's user and returns them as stored. Send If-Match with an ETag from GetSettings to save only if nothing changed since.",
        querystring: Type.Object({ apiKey: ApiKeyQuery }),
        body: SaveSettingsRequestSchema,
        response: SAVE_SETTINGS_RESPONSES,
      },
    },
    async (request, reply) => {
      const caller = callerOf(request)
      const saved = await saveSettings(store, {
        userId: caller.userId,
        document: decodedBodyOf(request),
        actor: { kind: 'user', userId: caller.userId, clientId: caller.clientId },
        ifMatch: request.headers['if-match'],
        phoneNumberCheck,
        now: new Date(),
      })
      return sendSettings(request, reply, saved, { conditional: false })
    },
  )
}
