import { ApiError } from '../domain/errors.js'
import type { Store } from '../storage/store.js'
import type { AuthenticatedCaller } from './authenticate.js'

/** Whose settings a request acts on, and on whose authority. */
export type Principal =
  | { readonly kind: 'self'; readonly caller: AuthenticatedCaller; readonly userId: number }
  | {
      readonly kind: 'group_manager'
      readonly caller: AuthenticatedCaller
      /** The member whose settings are read or saved. */
      readonly userId: number
    }

/** Acting on the caller's own account. */
export function selfPrincipal(caller: AuthenticatedCaller): Principal {
  return { kind: 'self', caller, userId: caller.userId }
}

/**
 * Lets a group manager act for `memberUserId`, a member of a group the
 * manager manages, or for themself. An unknown user and a user outside the
 * manager's groups get the same error, so the response does not reveal
 * which user IDs exist.
 *
 * @throws ApiError `not_group_manager` or `not_group_member`.
 */
export async function actForGroupMember(
  store: Store,
  caller: AuthenticatedCaller,
  memberUserId: number,
): Promise<Principal> {
  if (!(await store.isGroupManager(caller.userId))) {
    throw new ApiError(
      'not_group_manager',
      'Only a group manager may use the Groups endpoints; use /v1/PhoneChat for your own settings',
    )
  }
  if (memberUserId !== caller.userId) {
    const isMember = await store.isMemberOfManagedGroup(caller.userId, memberUserId)
    if (!isMember) {
      throw new ApiError(
        'not_group_member',
        `UserID ${memberUserId} is not a member of a group you manage`,
      )
    }
  }
  return { kind: 'group_manager', caller, userId: memberUserId }
}
