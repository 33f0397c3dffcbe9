import XMLBuilder from 'fast-xml-builder'

import { formatCredits } from '../domain/credits.js'
import type { PhoneChatSettings } from '../domain/settings.js'
import type { ProblemDocument } from '../schemas/problem.js'

/** Namespace of every element in settings documents; see schemas/phonechat-settings.xsd. */
export const SETTINGS_NAMESPACE = 'urn:phonechat-api:v1'
/** Namespace of RFC 9457 problem details in XML (RFC 9457 appendix B). */
export const PROBLEM_NAMESPACE = 'urn:ietf:rfc:7807'
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
  processEntities: true,
})

const NIL = { '@xsi:nil': 'true' }

/** Renders settings as a `PhoneChatSettings` document, elements in wire order. */
export function settingsToXml(settings: PhoneChatSettings): string {
  const directChat = settings.offerDirectChat ? settings.directChat : null
  const root: Record<string, unknown> = {
    '@xmlns': SETTINGS_NAMESPACE,
    '@xmlns:xsi': XSI_NAMESPACE,
    OfferDirectChat: String(settings.offerDirectChat),
  }
  if (directChat !== null) {
    root.DirectChat = {
      DirectChatOnly: String(directChat.directChatOnly),
      DirectChatPPM: formatCredits(directChat.directChatPpm),
    }
  }
  root.PhoneChatNumber = settings.phoneChatNumber ?? NIL
  root.ShowPhoneChatNumber = String(settings.showPhoneChatNumber)
  root.PhoneChatPPM = settings.phoneChatPpm === null ? NIL : formatCredits(settings.phoneChatPpm)
  return XML_DECLARATION + builder.build({ PhoneChatSettings: root })
}

/** Renders problem details as an RFC 9457 `problem` document. */
export function problemToXml(problem: ProblemDocument): string {
  const root: Record<string, unknown> = {
    '@xmlns': PROBLEM_NAMESPACE,
    type: problem.type,
    title: problem.title,
    status: String(problem.status),
    detail: problem.detail,
    code: problem.code,
    requestId: problem.requestId,
  }
  if (problem.errors !== undefined) {
    // RFC 9457 appendix B writes each array item as an <i> element.
    root.errors = {
      i: problem.errors.map((error) => ({ field: error.field, problem: error.problem })),
    }
  }
  return XML_DECLARATION + builder.build({ problem: root })
}

/** Renders verifyCredentials as a `VerifyCredentials` document; absent group fields are left out. */
export function credentialsToXml(credentials: {
  readonly UserID: number
  readonly GroupID?: number | null
  readonly GroupName?: string | null
  readonly IsGroupManager?: boolean
}): string {
  const root: Record<string, unknown> = {
    '@xmlns': SETTINGS_NAMESPACE,
    '@xmlns:xsi': XSI_NAMESPACE,
    UserID: String(credentials.UserID),
  }
  if (credentials.GroupID !== undefined) {
    root.GroupID = credentials.GroupID === null ? NIL : String(credentials.GroupID)
    root.GroupName = credentials.GroupName ?? NIL
    root.IsGroupManager = String(credentials.IsGroupManager ?? false)
  }
  return XML_DECLARATION + builder.build({ VerifyCredentials: root })
}
