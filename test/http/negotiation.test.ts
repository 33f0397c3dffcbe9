import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { negotiateFormat } from '../../src/http/negotiation.js'
import { parseQueryString } from '../../src/http/query-string.js'

describe('negotiateFormat', () => {
  it('defaults to JSON', () => {
    assert.deepEqual(negotiateFormat(undefined), { kind: 'json' })
    assert.deepEqual(negotiateFormat(' '), { kind: 'json' })
  })

  it('prefers JSON for browsers', () => {
    const chrome = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
    assert.deepEqual(negotiateFormat(chrome), { kind: 'json' })
  })

  it('keeps XML for an html list that excludes JSON', () => {
    assert.deepEqual(negotiateFormat('text/html, application/xml'), {
      kind: 'xml',
      mediaType: 'application/xml',
    })
  })

  it('honours q-values', () => {
    assert.deepEqual(negotiateFormat('application/json;q=0.1, text/xml'), {
      kind: 'xml',
      mediaType: 'text/xml',
    })
  })

  it('returns null when nothing matches', () => {
    assert.equal(negotiateFormat('application/pdf'), null)
  })
})

describe('parseQueryString', () => {
  it('folds known names to their documented spelling', () => {
    assert.deepEqual({ ...parseQueryString('userid=5&APIKEY=k') }, { UserID: '5', apiKey: 'k' })
  })

  it('collects repeats across spellings into an array', () => {
    assert.deepEqual({ ...parseQueryString('UserID=1&userid=2') }, { UserID: ['1', '2'] })
  })

  it('keeps __proto__ as plain data', () => {
    const parsed = parseQueryString('__proto__=x&other=y')
    assert.equal(Object.getPrototypeOf(parsed), null)
    assert.equal(parsed.__proto__, 'x')
  })
})

describe('negotiateFormat edge cases', () => {
  it('ignores media type parameters other than q', () => {
    assert.deepEqual(negotiateFormat('application/json; charset=utf-8'), { kind: 'json' })
    assert.deepEqual(negotiateFormat('text/xml; charset=utf-8'), {
      kind: 'xml',
      mediaType: 'text/xml',
    })
    assert.deepEqual(negotiateFormat('application/json; version=1'), { kind: 'json' })
  })

  it('lets a browser list yield to a refused JSON', () => {
    assert.equal(negotiateFormat('application/json;q=0, text/html'), null)
  })

  it('treats text/html;q=0 as no browser', () => {
    assert.deepEqual(negotiateFormat('application/xml, text/html;q=0'), {
      kind: 'xml',
      mediaType: 'application/xml',
    })
  })
})
