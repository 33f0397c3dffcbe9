import { Type, type Static } from 'typebox'

import { creditsToNumber } from '../domain/credits.js'
import type { PhoneChatSettings } from '../domain/settings.js'

const Credits = Type.Number({
  minimum: 0,
  maximum: 999.99,
  multipleOf: 0.01,
  description: 'Credits per minute: a plain decimal number with at most two decimal places',
  examples: [1.5],
})

export const DirectChatSettingsSchema = Type.Object(
  {
    DirectChatOnly: Type.Boolean({
      description: 'The user takes DirectChat calls only, and no booked Phone Chat calls',
    }),
    DirectChatPPM: Credits,
  },
  {
    $id: 'DirectChatSettings',
    additionalProperties: false,
    description: "DirectChat terms. This server's definition: the published API lists no fields.",
  },
)

/** Get PhoneChat Settings response. Property order is the wire order. */
export const PhoneChatSettingsSchema = Type.Object(
  {
    OfferDirectChat: Type.Boolean({ description: 'The user takes part in the DirectChat scheme' }),
    DirectChat: Type.Optional(DirectChatSettingsSchema),
    PhoneChatNumber: Type.Union([Type.String(), Type.Null()], {
      description:
        'E.164 number that clients call once a booking is confirmed; null when the user calls the client',
      examples: ['+447700900123'],
    }),
    ShowPhoneChatNumber: Type.Boolean({
      description: 'The number appears on the profile page and in emails (a paid option)',
    }),
    PhoneChatPPM: Type.Union([Credits, Type.Null()], {
      description: 'Credits per minute for normal Phone Chat calls; null until the user sets it',
    }),
  },
  { $id: 'PhoneChatSettings', additionalProperties: false },
)

export type PhoneChatSettingsWire = Static<typeof PhoneChatSettingsSchema>

/** Maps stored settings to the wire shape; DirectChat is absent, not null, when not offered. */
export function toSettingsWire(settings: PhoneChatSettings): PhoneChatSettingsWire {
  const directChat = settings.offerDirectChat ? settings.directChat : null
  return {
    OfferDirectChat: settings.offerDirectChat,
    ...(directChat === null
      ? {}
      : {
          DirectChat: {
            DirectChatOnly: directChat.directChatOnly,
            DirectChatPPM: creditsToNumber(directChat.directChatPpm),
          },
        }),
    PhoneChatNumber: settings.phoneChatNumber,
    ShowPhoneChatNumber: settings.showPhoneChatNumber,
    PhoneChatPPM: settings.phoneChatPpm === null ? null : creditsToNumber(settings.phoneChatPpm),
  }
}

/** SaveSettings request body. The settings rules, not this schema, validate it. */
export const SaveSettingsRequestSchema = Type.Object(
  {
    OfferDirectChat: Type.Boolean(),
    DirectChat: Type.Optional(DirectChatSettingsSchema),
    PhoneChatNumber: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          'International number: digits with an optional leading +, starting with the country calling code. Omitted or null clears it.',
        examples: ['+447700900123'],
      }),
    ),
    ShowPhoneChatNumber: Type.Optional(
      Type.Boolean({
        description: 'Omitted keeps the stored value; true needs a phone number',
      }),
    ),
    PhoneChatPPM: Credits,
  },
  { additionalProperties: false },
)

/** Group SaveSettings request body: the settings, and optionally the member's UserID. */
export const GroupSaveSettingsRequestSchema = Type.Object(
  {
    UserID: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2147483647,
        description:
          'Member whose settings to save; must equal the UserID query parameter if both are given',
      }),
    ),
    ...SaveSettingsRequestSchema.properties,
  },
  { additionalProperties: false },
)
