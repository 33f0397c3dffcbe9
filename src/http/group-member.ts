import type { FastifyRequest } from 'fastify'

import { actForGroupMember, type Principal } from '../auth/group-access.js'
import { ApiError } from '../domain/errors.js'
import type { Store } from '../storage/store.js'
import { callerOf } from './hooks.js'

/**
 * Authorizes the caller to act for group member `memberUserId` and logs the
 * impersonation with both user IDs.
 *
 * @throws ApiError `not_group_manager` or `not_group_member`.
 */
export async function actForMember(
  request: FastifyRequest,
  store: Store,
  memberUserId: number,
  action: 'read' | 'save',
): Promise<Principal> {
  const caller = callerOf(request)
  let principal: Principal
  try {
    principal = await actForGroupMember(store, caller, memberUserId)
  } catch (error) {
    if (error instanceof ApiError) {
      request.log.info(
        {
          managerUserId: caller.userId,
          memberUserId,
          clientId: caller.clientId,
          action,
          code: error.code,
        },
        'group manager access denied',
      )
    }
    throw error
  }
  request.log.info(
    {
      managerUserId: caller.userId,
      memberUserId: principal.userId,
      clientId: caller.clientId,
      action,
    },
    'group manager acting for member',
  )
  return principal
}
