import type { FastifyReply, FastifyRequest } from 'fastify'

import { ifNoneMatchHits, settingsEtag } from '../domain/etag.js'
import type { VersionedSettings } from '../domain/settings-service.js'
import { settingsToXml } from '../formats/xml.js'
import { toSettingsWire } from '../schemas/settings.js'

/**
 * Sends settings in the negotiated format with their ETag. With
 * `conditional`, a matching If-None-Match gets 304 and no body.
 */
export function sendSettings(
  request: FastifyRequest,
  reply: FastifyReply,
  current: VersionedSettings,
  options: { readonly conditional: boolean },
): FastifyReply {
  const format = request.responseFormat
  const etag = settingsEtag(current.version, current.settings, format.kind)
  // Settings belong to one user: shared caches must not store them.
  reply.header('cache-control', 'private, no-cache').header('etag', etag)

  const ifNoneMatch = request.headers['if-none-match']
  if (options.conditional && ifNoneMatch !== undefined && ifNoneMatchHits(ifNoneMatch, etag)) {
    return reply.code(304).send()
  }
  return sendNegotiated(request, reply, toSettingsWire(current.settings), () =>
    settingsToXml(current.settings),
  )
}

/**
 * Sends a document as JSON or, when negotiated, as the XML that `toXml` renders.
 * NOTE: JSON goes through JSON.stringify, not the route's response schema,
 * because fast-json-stringify 7 writes required properties before optional
 * ones and would move the optional DirectChat after PhoneChatPPM. The wire
 * objects are built in contract order, which JSON.stringify keeps.
 */
export function sendNegotiated(
  request: FastifyRequest,
  reply: FastifyReply,
  json: unknown,
  toXml: () => string,
): FastifyReply {
  const format = request.responseFormat
  if (format.kind === 'xml') {
    return reply.type(`${format.mediaType}; charset=utf-8`).send(toXml())
  }
  return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(json)
}
