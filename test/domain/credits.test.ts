import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import fc from 'fast-check'

import {
  creditsToNumber,
  formatCredits,
  parseCredits,
  type Hundredths,
} from '../../src/domain/credits.js'

describe('parseCredits', () => {
  const valid: [string, number][] = [
    ['0', 0],
    ['0.0', 0],
    ['0.05', 5],
    ['1.1', 110],
    ['1.10', 110],
    ['12', 1200],
    ['999.99', 99999],
  ]
  for (const [text, hundredths] of valid) {
    it(`parses ${text}`, () => {
      assert.deepEqual(parseCredits(text), { ok: true, value: hundredths })
    })
  }

  const invalid: [string, RegExp][] = [
    ['-1', /negative/],
    ['-0', /negative/],
    ['1.005', /two decimal places/],
    ['1000', /maximum/],
    ['1e2', /plain decimal/],
    ['1E+0', /plain decimal/],
    ['01', /plain decimal/],
    ['.5', /plain decimal/],
    ['5.', /plain decimal/],
    ['NaN', /plain decimal/],
    ['Infinity', /plain decimal/],
    ['', /plain decimal/],
    [' 1', /plain decimal/],
  ]
  for (const [text, problem] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const result = parseCredits(text)
      assert.equal(result.ok, false)
      assert.match(result.ok ? '' : result.problem, problem)
    })
  }
})

describe('formatCredits', () => {
  it('writes the shortest plain decimal', () => {
    assert.equal(formatCredits(110 as Hundredths), '1.1')
    assert.equal(formatCredits(1200 as Hundredths), '12')
    assert.equal(formatCredits(5 as Hundredths), '0.05')
    assert.equal(formatCredits(0 as Hundredths), '0')
    assert.equal(formatCredits(99999 as Hundredths), '999.99')
  })

  it('round-trips every value through text and JSON numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99999 }), (n) => {
        const value = n as Hundredths
        const text = formatCredits(value)
        assert.deepEqual(parseCredits(text), { ok: true, value })
        assert.equal(JSON.stringify(creditsToNumber(value)), text)
      }),
    )
  })
})
