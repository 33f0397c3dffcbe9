import type OAuth2Server from '@node-oauth/oauth2-server'

import type { SessionSigner } from '../../oauth/session.js'
import type { SignInLimiter } from '../../oauth/sign-in-limiter.js'
import type { Store } from '../../storage/store.js'

/** Dependencies shared by the OAuth routes. */
export interface OAuthContext {
  readonly store: Store
  readonly server: OAuth2Server
  readonly signer: SessionSigner
  readonly limiter: SignInLimiter
  readonly now: () => Date
}
