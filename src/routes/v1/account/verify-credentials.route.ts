import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { callerOf } from '../../../http/hooks.js'
import { sendNegotiated } from '../../../http/send-settings.js'
import { credentialsToXml } from '../../../formats/xml.js'
import { ApiKeyQuery, AUTHENTICATED_ERROR_RESPONSES } from '../../common-schemas.js'
import type { RouteContext } from '../../route-context.js'

const SCOPE_ACCOUNT_INFORMATION = 'account_information'

const VerifyCredentialsSchema = Type.Object(
  {
    UserID: Type.Integer(),
    GroupID: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    GroupName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    IsGroupManager: Type.Optional(Type.Boolean()),
  },
  {
    $id: 'VerifyCredentials',
    description: 'Group fields appear only when the token has the account_information scope',
  },
)

/** GET /v1/account/verifyCredentials: who the access token belongs to. */
export const verifyCredentialsRoute: FastifyPluginAsyncTypebox<RouteContext> = async (
  app,
  { store },
) => {
  app.get(
    '/v1/account/verifyCredentials',
    {
      config: { auth: {}, negotiate: true },
      schema: {
        summary: 'Verify credentials',
        description:
          "Returns the access token's user. With the account_information scope, also the user's group and whether the user manages it.",
        querystring: Type.Object({ apiKey: ApiKeyQuery }),
        response: { 200: VerifyCredentialsSchema, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request)
      let body: {
        UserID: number
        GroupID?: number | null
        GroupName?: string | null
        IsGroupManager?: boolean
      } = {
        UserID: caller.userId,
      }
      if (caller.scopes.includes(SCOPE_ACCOUNT_INFORMATION)) {
        const group = await store.findGroupOfUser(caller.userId)
        body = {
          ...body,
          GroupID: group?.id ?? null,
          GroupName: group?.name ?? null,
          IsGroupManager: await store.isGroupManager(caller.userId),
        }
      }
      reply.header('cache-control', 'private, no-cache')
      return sendNegotiated(request, reply, body, () => credentialsToXml(body))
    },
  )
}
