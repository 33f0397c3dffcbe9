import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parseAuthorizationHeader } from '../../src/auth/bearer.js'
import { formatBearerChallenge } from '../../src/auth/challenge.js'

describe('parseAuthorizationHeader', () => {
  it('returns none without a header or for other schemes', () => {
    for (const header of [undefined, '', '   ', 'Basic abc', 'Token abc', 'Bearerabc']) {
      assert.deepEqual(parseAuthorizationHeader(header), { kind: 'none' }, String(header))
    }
  })

  it('returns the token for any spelling of the scheme', () => {
    for (const header of [
      'Bearer abc',
      'bearer abc',
      'BEARER abc',
      'Bearer   abc',
      ' Bearer abc ',
    ]) {
      assert.deepEqual(parseAuthorizationHeader(header), { kind: 'bearer', token: 'abc' }, header)
    }
  })

  it('accepts every b64token character', () => {
    const token = 'AZaz09-._~+/=='
    assert.deepEqual(parseAuthorizationHeader(`Bearer ${token}`), { kind: 'bearer', token })
  })

  it('reports a missing or invalid token as malformed', () => {
    for (const header of ['Bearer', 'Bearer a b', 'Bearer a=b', 'Bearer "abc"', 'Bearer ab;c']) {
      assert.equal(parseAuthorizationHeader(header).kind, 'malformed', header)
    }
  })
})

describe('formatBearerChallenge', () => {
  it('formats a bare challenge', () => {
    assert.equal(formatBearerChallenge(), 'Bearer realm="phonechat-api"')
  })

  it('drops characters that a quoted description cannot hold', () => {
    const challenge = formatBearerChallenge({
      error: 'invalid_token',
      description: 'say "hi" \\ é',
    })
    assert.equal(
      challenge,
      'Bearer realm="phonechat-api", error="invalid_token", error_description="say hi  "',
    )
  })
})
