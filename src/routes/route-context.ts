import type { PhoneNumberCheck } from '../domain/phone-number.js'
import type { Store } from '../storage/store.js'

/** Dependencies that route plugins receive as plugin options. */
export interface RouteContext {
  readonly store: Store
  readonly phoneNumberCheck: PhoneNumberCheck
}
