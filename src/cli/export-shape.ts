/** The --json shapes of `botctl users export` and `users forget` (see json-shape.ts). */
import type { JsonShape } from './json-shape.js';

const MESSAGE: JsonShape = {
  id: 'number',
  role: 'string',
  content: 'string',
  createdAt: 'string',
  model: 'string|null',
  tokensIn: 'number',
  tokensOut: 'number',
};

/** domain/entities.ts UserSettings, as export and `users show` print them. */
export const SETTINGS_SHAPE: JsonShape = {
  persona: 'string',
  customPrompt: 'string|null',
  detailLevel: 'string',
  timezone: 'string',
  voiceReplies: 'string',
  model: 'string|null',
  showTranscript: 'boolean',
  suggestions: 'boolean',
  search: 'boolean',
};

/** domain/transcript.ts UserExport. */
const USER_EXPORT_SHAPE: JsonShape = {
  format: 'number',
  exportedAt: 'string',
  profile: {
    telegramId: 'number',
    username: 'string|null',
    firstName: 'string|null',
    lastName: 'string|null',
    languageCode: 'string|null',
    language: 'string',
    role: 'string',
    status: 'string',
    // The user's own quota limits ({messagesPerDay?, ...}) or null.
    quotaOverrides: 'unknown',
    premiumUntil: 'string|null',
    createdAt: 'string',
    lastSeenAt: 'string',
  },
  settings: SETTINGS_SHAPE,
  conversations: [
    {
      id: 'number',
      chatId: 'number',
      threadId: 'number|null',
      title: 'string|null',
      startedAt: 'string',
      endedAt: 'string|null',
      summary: 'string|null',
      messages: [MESSAGE],
    },
  ],
  usage: [
    {
      day: 'string',
      messages: 'number',
      tokensIn: 'number',
      tokensOut: 'number',
      audioSeconds: 'number',
      images: 'number',
      searches: 'number',
    },
  ],
  deliveries: [
    {
      broadcastId: 'string',
      status: 'string',
      attempts: 'number',
      error: 'string|null',
      sentAt: 'string|null',
    },
  ],
  audio: [
    {
      messageId: 'number',
      durationSec: 'number',
      mime: 'string|null',
      size: 'number|null',
      copyKept: 'boolean',
      createdAt: 'string',
    },
  ],
  payments: [
    {
      chargeId: 'string',
      amount: 'number',
      currency: 'string',
      periodDays: 'number',
      premiumUntil: 'string',
      createdAt: 'string',
      refundedAt: 'string|null',
    },
  ],
};

export const USERS_EXPORT_SHAPE: JsonShape = {
  telegramId: 'number',
  output: 'string|null',
  format: 'string',
  conversations: 'number',
  messages: 'number',
  usageDays: 'number',
  'data?': USER_EXPORT_SHAPE,
};

export const USERS_FORGET_SHAPE: JsonShape = {
  telegramId: 'number',
  conversations: 'number',
  messages: 'number',
  usageDays: 'number',
  payments: 'number',
};
