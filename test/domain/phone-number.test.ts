import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { parsePhoneNumber } from '../../src/domain/phone-number.js'

describe('parsePhoneNumber', () => {
  it('returns E.164 for a number with a plus', () => {
    assert.deepEqual(parsePhoneNumber('+447700900123', 'possible'), {
      ok: true,
      e164: '+447700900123',
    })
  })

  it('adds the plus to a number given without one', () => {
    assert.deepEqual(parsePhoneNumber('447700900999', 'possible'), {
      ok: true,
      e164: '+447700900999',
    })
  })

  const invalid: [string, RegExp][] = [
    ['07700900123', /country calling code/],
    ['00447700900123', /country calling code/],
    ['+44 7700 900123', /only digits/],
    ['+44-7700-900123', /only digits/],
    ['(01632) 960000', /only digits/],
    ['+4477009', /wrong number of digits/],
    ['+44770090012345', /wrong number of digits/],
    ['+999123456789', /known country calling code/],
    ['+', /only digits/],
    ['abc', /only digits/],
  ]
  for (const [text, problem] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const result = parsePhoneNumber(text, 'possible')
      assert.equal(result.ok, false)
      assert.match(result.ok ? '' : result.problem, problem)
    })
  }

  it('rejects the drama range under the valid check', () => {
    const result = parsePhoneNumber('+447700900123', 'valid')
    assert.equal(result.ok, false)
    assert.match(result.ok ? '' : result.problem, /allocated range/)
  })

  it('accepts an allocated number under the valid check', () => {
    assert.deepEqual(parsePhoneNumber('+33612345678', 'valid'), { ok: true, e164: '+33612345678' })
  })
})
