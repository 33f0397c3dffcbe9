/**
 * A request document decoded from JSON or XML, before any field rules apply.
 * Numbers keep their source text so that decimal rules can be checked exactly,
 * and XML element text stays untyped until the field it belongs to is known.
 */
export type InputValue =
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, InputValue> }
  | { readonly kind: 'array'; readonly items: readonly InputValue[] }

const MAX_SHOWN_LENGTH = 40

/** Renders a value for an error message, shortened to a readable length. */
export function describeInputValue(value: InputValue): string {
  let rendered: string
  switch (value.kind) {
    case 'boolean':
      rendered = String(value.value)
      break
    case 'number':
      rendered = value.text
      break
    case 'string':
      rendered = JSON.stringify(value.value)
      break
    case 'text':
      rendered = `"${value.value}"`
      break
    case 'null':
      rendered = 'null'
      break
    case 'object':
      rendered = 'an object'
      break
    case 'array':
      rendered = 'an array'
      break
  }
  return rendered.length > MAX_SHOWN_LENGTH ? `${rendered.slice(0, MAX_SHOWN_LENGTH)}...` : rendered
}

/** Strips XML whitespace (space, tab, CR, LF) only; String.prototype.trim also strips NBSP and more. */
export function trimXmlWhitespace(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
}
