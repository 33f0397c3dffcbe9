/** Read and save Phone Chat settings; needed by every PhoneChat endpoint. */
export const SCOPE_PHONECHAT = 'account_phonechat_bookings'

/** Scopes this server supports, with the words shown to users who are asked to grant them. */
export const KNOWN_SCOPES: Readonly<Record<string, string>> = Object.freeze({
  [SCOPE_PHONECHAT]: 'Read and change your Phone Chat settings',
  account_information: 'See your user ID and your group membership',
})

/**
 * Splits a scope list given as `a,b` or `a b` and checks every name against
 * {@link KNOWN_SCOPES}. Throws an Error naming the first unknown scope.
 */
export function parseScopeList(text: string): readonly string[] {
  const scopes = [...new Set(text.split(/[\s,]+/).filter((scope) => scope !== ''))]
  if (scopes.length === 0) {
    throw new Error('the scope list is empty; name at least one scope, such as ' + SCOPE_PHONECHAT)
  }
  for (const scope of scopes) {
    if (!Object.hasOwn(KNOWN_SCOPES, scope)) {
      throw new Error(
        `scope ${JSON.stringify(scope)} is unknown; known scopes are ${Object.keys(KNOWN_SCOPES).join(', ')}`,
      )
    }
  }
  return scopes
}
