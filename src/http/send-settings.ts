import type { FastifyReply, FastifyRequest } from 'fastify'

import type { PhoneChatSettings } from '../domain/settings.js'
import { settingsToXml } from '../formats/xml.js'
import { toSettingsWire } from '../schemas/settings.js'

/** Sends settings in the negotiated format. */
export function sendSettings(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: PhoneChatSettings,
): FastifyReply {
  // Settings belong to one user: shared caches must not store them.
  reply.header('cache-control', 'private, no-cache')
  const format = request.responseFormat
  if (format.kind === 'xml') {
    return reply.type(`${format.mediaType}; charset=utf-8`).send(settingsToXml(settings))
  }
  // NOTE: fast-json-stringify 7 writes required properties before optional
  // ones, which would move the optional DirectChat after PhoneChatPPM. The
  // contract fixes the field order, and toSettingsWire builds its object in
  // that order, so JSON.stringify keeps it.
  return reply
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(toSettingsWire(settings))
}
