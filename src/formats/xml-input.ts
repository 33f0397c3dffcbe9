import { SaxesParser, type SaxesTagNS } from 'saxes'

import { trimXmlWhitespace, type InputValue } from '../domain/input-value.js'
import { SETTINGS_NAMESPACE, XSI_NAMESPACE } from './xml.js'

/** An XML body that is not a well-formed settings document in this API's namespace. */
export class XmlInputError extends Error {
  override readonly name = 'XmlInputError'
}

const ROOT = 'PhoneChatSettings'

/** Deepest element nesting accepted; settings documents need three levels. */
const MAX_DEPTH = 8

/** An element being read: its child elements so far, or its text. */
interface OpenElement {
  readonly name: string
  readonly nil: boolean
  readonly fields: Map<string, InputValue>
  text: string
}

/**
 * Parses a `PhoneChatSettings` XML document into an {@link InputValue} with
 * saxes, a conformant XML 1.0 parser with namespace support. Element text
 * stays untyped (`kind: 'text'`) and `xsi:nil="true"` becomes null.
 * Document type declarations are rejected, so no declared entity is expanded.
 *
 * @throws XmlInputError naming what is wrong and where.
 */
export function parseSettingsXml(text: string): InputValue {
  if (text.trim() === '') {
    throw new XmlInputError('the request body is empty; send a PhoneChatSettings document')
  }
  const parser = new SaxesParser({ xmlns: true })
  const stack: OpenElement[] = []
  let result: InputValue | undefined

  parser.on('xmldecl', (declaration) => {
    const encoding = declaration.encoding?.toLowerCase()
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8') {
      throw new XmlInputError(`the XML declares encoding ${declaration.encoding}; send UTF-8`)
    }
  })
  parser.on('doctype', () => {
    throw new XmlInputError('XML document type declarations (<!DOCTYPE>) are not allowed')
  })
  parser.on('opentag', (tag) => {
    checkElement(tag, stack.length)
    stack.push({ name: tag.local, nil: isNil(tag), fields: new Map(), text: '' })
  })
  parser.on('text', (chunk) => {
    const current = stack.at(-1)
    if (current !== undefined) {
      current.text += chunk
    }
  })
  parser.on('cdata', (chunk) => {
    const current = stack.at(-1)
    if (current !== undefined) {
      current.text += chunk
    }
  })
  parser.on('closetag', () => {
    const element = stack.pop()
    if (element === undefined) {
      return
    }
    const value = valueOf(element)
    const parent = stack.at(-1)
    if (parent === undefined) {
      result = value
      return
    }
    if (parent.fields.has(element.name)) {
      throw new XmlInputError(`element ${element.name} is given more than once; give it once`)
    }
    parent.fields.set(element.name, value)
  })

  try {
    parser.write(text).close()
  } catch (error) {
    if (error instanceof XmlInputError) {
      throw error
    }
    throw new XmlInputError(`the XML is not well-formed: ${(error as Error).message}`)
  }
  if (result === undefined) {
    throw new XmlInputError(`the XML must have one root element, ${ROOT}`)
  }
  return result
}

function checkElement(tag: SaxesTagNS, depth: number): void {
  if (tag.uri !== SETTINGS_NAMESPACE) {
    const where = tag.uri === '' ? 'no namespace' : `the namespace ${tag.uri}`
    throw new XmlInputError(
      `element ${tag.name} is in ${where}; every element must be in the namespace ${SETTINGS_NAMESPACE}`,
    )
  }
  if (depth === 0 && tag.local !== ROOT) {
    throw new XmlInputError(`the root element must be ${ROOT}, not ${tag.local}`)
  }
  if (depth >= MAX_DEPTH) {
    throw new XmlInputError(`elements are nested more than ${MAX_DEPTH} levels deep`)
  }
}

function isNil(tag: SaxesTagNS): boolean {
  const nil = Object.values(tag.attributes).find(
    (attribute) => attribute.uri === XSI_NAMESPACE && attribute.local === 'nil',
  )
  const value = nil === undefined ? undefined : trimXmlWhitespace(nil.value)
  return value === 'true' || value === '1'
}

/** Turns a closed element into a value: null, an object of child elements, or text. */
function valueOf(element: OpenElement): InputValue {
  if (element.nil) {
    if (element.fields.size > 0 || element.text !== '') {
      throw new XmlInputError(
        `element ${element.name} has xsi:nil="true" and content; leave it empty`,
      )
    }
    return { kind: 'null' }
  }
  if (element.fields.size > 0) {
    if (trimXmlWhitespace(element.text) !== '') {
      throw new XmlInputError(`element ${element.name} mixes text with child elements`)
    }
    return { kind: 'object', fields: element.fields }
  }
  return { kind: 'text', value: element.text }
}
