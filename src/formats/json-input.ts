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
  const value = parse(text)
  rejectDuplicateKeys(text)
  return toInputValue(value)
}

/**
 * Throws on an object key that appears twice in one object. lossless-json
 * rejects duplicates only when their values differ, so this scans the text,
 * which the parser has already accepted as valid JSON.
 */
function rejectDuplicateKeys(text: string): void {
  const objects: (Set<string> | null)[] = []
  let expectKey = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '{') {
      objects.push(new Set())
      expectKey = true
    } else if (char === '[') {
      objects.push(null)
    } else if (char === '}' || char === ']') {
      objects.pop()
      expectKey = false
    } else if (char === ',') {
      expectKey = objects.at(-1) instanceof Set
    } else if (char === '"') {
      const end = endOfString(text, index)
      const keys = objects.at(-1)
      if (expectKey && keys instanceof Set) {
        const key = JSON.parse(text.slice(index, end + 1)) as string
        if (keys.has(key)) {
          throw new SyntaxError(`Duplicate key '${key}' encountered at position ${index}`)
        }
        keys.add(key)
      }
      expectKey = false
      index = end
    }
  }
}

/** Returns the index of the quote that closes the string starting at `start`. */
function endOfString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') {
      index++
    } else if (text[index] === '"') {
      return index
    }
  }
  return text.length - 1
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
