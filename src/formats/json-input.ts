import { isLosslessNumber, parse } from 'lossless-json'

import type { InputValue } from '../domain/input-value.js'

/**
 * Parses JSON text into an {@link InputValue}, keeping each number's source
 * text (so `1.10` and `1e2` can be distinguished from `1.1` and `100`).
 * Duplicate keys are a syntax error.
 *
 * @throws SyntaxError naming the position of the problem.
 */
export function parseJsonInput(text: string): InputValue {
  return toInputValue(parse(text))
}

function toInputValue(value: unknown): InputValue {
  if (value === null) {
    return { kind: 'null' }
  }
  if (typeof value === 'boolean') {
    return { kind: 'boolean', value }
  }
  if (typeof value === 'string') {
    return { kind: 'string', value }
  }
  if (isLosslessNumber(value)) {
    return { kind: 'number', text: value.value }
  }
  if (Array.isArray(value)) {
    return { kind: 'array', items: value.map(toInputValue) }
  }
  if (typeof value === 'object') {
    // lossless-json stores keys such as __proto__ as own properties, so
    // Object.entries returns them and the rules can reject them by name.
    const fields = new Map<string, InputValue>()
    for (const [key, item] of Object.entries(value)) {
      fields.set(key, toInputValue(item))
    }
    return { kind: 'object', fields }
  }
  throw new SyntaxError(`unexpected JSON value of type ${typeof value}`)
}
