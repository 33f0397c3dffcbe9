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
  if (format.kind === 'xml') {
    return reply.type(`${format.mediaType}; charset=utf-8`).send(settingsToXml(current.settings))
  }
  // NOTE: fast-json-stringify 7 writes required properties before optional
  // ones, which would move the optional DirectChat after PhoneChatPPM. The
  // contract fixes the field order, and toSettingsWire builds its object in
  // that order, so JSON.stringify keeps it.
  return reply
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(toSettingsWire(current.settings))
}
