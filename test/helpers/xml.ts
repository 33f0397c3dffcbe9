import { readFileSync } from 'node:fs'

import { validateXML } from 'xmllint-wasm'

const SCHEMAS = {
  settings: readFileSync(new URL('../../schemas/phonechat-settings.xsd', import.meta.url), 'utf8'),
  problem: readFileSync(new URL('../../schemas/problem.xsd', import.meta.url), 'utf8'),
}

/** Validates an XML document with libxml2 (compiled to WebAssembly) against a shipped XSD. */
export async function validateAgainstSchema(
  xml: string,
  schema: keyof typeof SCHEMAS,
): Promise<readonly string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'response.xml', contents: xml }],
    schema: [SCHEMAS[schema]],
  })
  return result.errors.map((error) => error.rawMessage)
}
