import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Hundredths } from '../../src/domain/credits.js'
import type { InputValue } from '../../src/domain/input-value.js'
import { DEFAULT_SETTINGS, type PhoneChatSettings } from '../../src/domain/settings.js'
import { validateSettingsInput } from '../../src/domain/settings-rules.js'
import { parseJsonInput } from '../../src/formats/json-input.js'

const OPTIONS = { phoneNumberCheck: 'possible' } as const

function validate(json: string, stored: PhoneChatSettings = DEFAULT_SETTINGS) {
  return validateSettingsInput(parseJsonInput(json), stored, OPTIONS)
}

function fieldsOf(json: string): string[] {
  const result = validate(json)
  assert.equal(result.ok, false, `expected ${json} to be rejected`)
  return result.ok ? [] : result.errors.map((error) => error.field)
}

describe('validateSettingsInput', () => {
  it('accepts full settings with DirectChat', () => {
    const result = validate(
      '{"OfferDirectChat":true,"DirectChat":{"DirectChatOnly":true,"DirectChatPPM":2.5},' +
        '"PhoneChatNumber":"447700900123","ShowPhoneChatNumber":true,"PhoneChatPPM":1.25}',
    )
    assert.deepEqual(result, {
      ok: true,
      settings: {
        offerDirectChat: true,
        directChat: { directChatOnly: true, directChatPpm: 250 },
        phoneChatNumber: '+447700900123',
        showPhoneChatNumber: true,
        phoneChatPpm: 125,
      },
    })
  })

  it('accepts the minimum document', () => {
    const result = validate('{"OfferDirectChat":false,"PhoneChatPPM":0}')
    assert.deepEqual(result, {
      ok: true,
      settings: { ...DEFAULT_SETTINGS, phoneChatPpm: 0 },
    })
  })

  it('keeps the stored ShowPhoneChatNumber when omitted', () => {
    const stored = {
      ...DEFAULT_SETTINGS,
      phoneChatNumber: '+447700900123',
      showPhoneChatNumber: true,
    }
    const result = validate(
      '{"OfferDirectChat":false,"PhoneChatNumber":"+447700900124","PhoneChatPPM":1}',
      stored,
    )
    assert.equal(result.ok && result.settings.showPhoneChatNumber, true)
  })

  it('sets ShowPhoneChatNumber false when the number is cleared', () => {
    const stored = {
      ...DEFAULT_SETTINGS,
      phoneChatNumber: '+447700900123',
      showPhoneChatNumber: true,
    }
    for (const body of [
      '{"OfferDirectChat":false,"PhoneChatPPM":1}',
      '{"OfferDirectChat":false,"PhoneChatNumber":null,"PhoneChatPPM":1}',
    ]) {
      const result = validate(body, stored)
      assert.equal(result.ok, true, body)
      assert.equal(result.ok && result.settings.showPhoneChatNumber, false, body)
      assert.equal(result.ok && result.settings.phoneChatNumber, null, body)
    }
  })

  const rejected: [string, string, string[]][] = [
    ['missing OfferDirectChat', '{"PhoneChatPPM":1}', ['OfferDirectChat']],
    ['string OfferDirectChat', '{"OfferDirectChat":"true","PhoneChatPPM":1}', ['OfferDirectChat']],
    ['missing DirectChat', '{"OfferDirectChat":true,"PhoneChatPPM":1}', ['DirectChat']],
    [
      'DirectChat when not offered',
      '{"OfferDirectChat":false,"DirectChat":{"DirectChatOnly":true,"DirectChatPPM":1},"PhoneChatPPM":1}',
      ['DirectChat'],
    ],
    [
      'DirectChat missing fields',
      '{"OfferDirectChat":true,"DirectChat":{},"PhoneChatPPM":1}',
      ['DirectChat.DirectChatOnly', 'DirectChat.DirectChatPPM'],
    ],
    [
      'DirectChat unknown field',
      '{"OfferDirectChat":true,"DirectChat":{"DirectChatOnly":true,"DirectChatPPM":1,"x":1},"PhoneChatPPM":1}',
      ['DirectChat.x'],
    ],
    ['missing PhoneChatPPM', '{"OfferDirectChat":false}', ['PhoneChatPPM']],
    ['null PhoneChatPPM', '{"OfferDirectChat":false,"PhoneChatPPM":null}', ['PhoneChatPPM']],
    ['string PhoneChatPPM', '{"OfferDirectChat":false,"PhoneChatPPM":"1.5"}', ['PhoneChatPPM']],
    ['exponent PhoneChatPPM', '{"OfferDirectChat":false,"PhoneChatPPM":1e1}', ['PhoneChatPPM']],
    ['three places', '{"OfferDirectChat":false,"PhoneChatPPM":1.234}', ['PhoneChatPPM']],
    ['negative', '{"OfferDirectChat":false,"PhoneChatPPM":-1}', ['PhoneChatPPM']],
    ['too large', '{"OfferDirectChat":false,"PhoneChatPPM":1000}', ['PhoneChatPPM']],
    [
      'show without number',
      '{"OfferDirectChat":false,"ShowPhoneChatNumber":true,"PhoneChatPPM":1}',
      ['ShowPhoneChatNumber'],
    ],
    [
      'bad number',
      '{"OfferDirectChat":false,"PhoneChatNumber":"07700900123","PhoneChatPPM":1}',
      ['PhoneChatNumber'],
    ],
    [
      'numeric number',
      '{"OfferDirectChat":false,"PhoneChatNumber":447700900123,"PhoneChatPPM":1}',
      ['PhoneChatNumber'],
    ],
    [
      'empty number',
      '{"OfferDirectChat":false,"PhoneChatNumber":"","PhoneChatPPM":1}',
      ['PhoneChatNumber'],
    ],
    ['unknown field', '{"OfferDirectChat":false,"PhoneChatPPM":1,"Color":"red"}', ['Color']],
    [
      'wrong case field',
      '{"offerdirectchat":false,"PhoneChatPPM":1}',
      ['offerdirectchat', 'OfferDirectChat'],
    ],
    [
      '__proto__ key',
      '{"OfferDirectChat":false,"PhoneChatPPM":1,"__proto__":{"x":1}}',
      ['__proto__'],
    ],
    [
      'constructor key',
      '{"OfferDirectChat":false,"PhoneChatPPM":1,"constructor":{}}',
      ['constructor'],
    ],
    ['array body', '[]', ['(body)']],
  ]
  for (const [name, body, fields] of rejected) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(fieldsOf(body).sort(), [...fields].sort())
    })
  }

  it('names the field, the value and the rule in the problem', () => {
    const result = validate('{"OfferDirectChat":false,"PhoneChatPPM":1.234}')
    assert.equal(result.ok, false)
    const problem = result.ok ? '' : (result.errors[0]?.problem ?? '')
    assert.match(problem, /1\.234/)
    assert.match(problem, /two decimal places/)
  })

  it('reads XML text values by field type', () => {
    const text = (value: string): InputValue => ({ kind: 'text', value })
    const input: InputValue = {
      kind: 'object',
      fields: new Map<string, InputValue>([
        ['OfferDirectChat', text('1')],
        [
          'DirectChat',
          {
            kind: 'object',
            fields: new Map([
              ['DirectChatOnly', text('false')],
              ['DirectChatPPM', text(' 3.5 ')],
            ]),
          },
        ],
        ['PhoneChatNumber', text('+447700900123')],
        ['PhoneChatPPM', text('0.99')],
      ]),
    }
    const result = validateSettingsInput(input, DEFAULT_SETTINGS, OPTIONS)
    assert.deepEqual(result, {
      ok: true,
      settings: {
        offerDirectChat: true,
        directChat: { directChatOnly: false, directChatPpm: 350 as Hundredths },
        phoneChatNumber: '+447700900123',
        showPhoneChatNumber: false,
        phoneChatPpm: 99 as Hundredths,
      },
    })
  })
})
