/**
 * The shape of a data export (everything stored about one user) and its readable Markdown
 * form. Field names stay as in the JSON; headings and speaker names come from the caller,
 * so the bot can render them in the user's language and the CLI in English. Longer than most
 * files: the export's shape, its mapping from entities and its Markdown form change together.
 */
import type {
  AudioFile,
  Conversation,
  DailyUsage,
  Delivery,
  DeliveryStatus,
  Message,
  Payment,
  User,
  UserSettings,
} from './entities.js';

interface ExportedMessage {
  id: number;
  role: Message['role'];
  content: string;
  createdAt: string;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
}

export interface ExportedConversation {
  id: number;
  chatId: number;
  threadId: number | null;
  title: string | null;
  startedAt: string;
  endedAt: string | null;
  summary: string | null;
  messages: ExportedMessage[];
}

/** One broadcast sent (or queued) to the user: Telegram's error when it failed, sentAt once it went out. */
export interface ExportedDelivery {
  broadcastId: string;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  sentAt: string | null;
}

/**
 * One audio message the user sent (voice note, audio file or video note), linked to the message
 * that holds its transcript. Telegram's file_id and file_unique_id are left out: they are the
 * bot's handles for fetching the file from Telegram (file_id works only with this bot's token),
 * tell the user nothing, and the recording itself is in their own chat. The stored path is the
 * server's file layout; whether a copy is kept (keepAudio) is what concerns the user. There is
 * no kind column: every row is audio the user sent (spoken answers get no row), mime gives the format.
 */
export interface ExportedAudio {
  messageId: number;
  durationSec: number;
  mime: string | null;
  size: number | null;
  copyKept: boolean;
  createdAt: string;
}

/**
 * A Telegram Stars payment for premium. The charge id is kept: it is what a refund names, and
 * the user's own receipt in Telegram shows it too.
 */
export interface ExportedPayment {
  chargeId: string;
  amount: number;
  currency: string;
  periodDays: number;
  premiumUntil: string;
  createdAt: string;
  refundedAt: string | null;
}

export interface UserExport {
  /** Bumped when a field changes meaning or goes away; added fields keep it (readers of 1 still work). */
  format: 1;
  exportedAt: string;
  profile: Omit<User, 'id' | 'settings' | 'createdAt' | 'lastSeenAt' | 'premiumUntil'> & {
    createdAt: string;
    lastSeenAt: string;
    /** When paid premium ends; null: none running. */
    premiumUntil: string | null;
  };
  settings: UserSettings;
  conversations: ExportedConversation[];
  usage: Omit<DailyUsage, 'userId'>[];
  deliveries: ExportedDelivery[];
  audio: ExportedAudio[];
  payments: ExportedPayment[];
}

export interface TranscriptLabels {
  heading: string;
  profile: string;
  settings: string;
  usage: string;
  deliveries: string;
  audio: string;
  payments: string;
  conversations: string;
  untitled: string;
  user: string;
  model: string;
  summary: string;
  none: string;
}

/**
 * The locale key of each label: the bot reads them in the user's language, the CLI from
 * en.ftl, so the text lives in src/locales only.
 */
export const TRANSCRIPT_LABEL_KEYS: Readonly<Record<keyof TranscriptLabels, string>> = {
  heading: 'export-label-heading',
  profile: 'export-label-profile',
  settings: 'export-label-settings',
  usage: 'export-label-usage',
  deliveries: 'export-label-deliveries',
  audio: 'export-label-audio',
  payments: 'export-label-payments',
  conversations: 'export-label-conversations',
  untitled: 'history-untitled',
  user: 'export-label-user',
  model: 'export-label-model',
  summary: 'export-label-summary',
  none: 'export-label-none',
};

export function transcriptLabels(translate: (key: string) => string): TranscriptLabels {
  const labels = {} as Record<keyof TranscriptLabels, string>;
  for (const label of Object.keys(TRANSCRIPT_LABEL_KEYS) as (keyof TranscriptLabels)[]) {
    labels[label] = translate(TRANSCRIPT_LABEL_KEYS[label]);
  }
  return labels;
}

export function exportedConversation(conversation: Conversation, messages: Message[]): ExportedConversation {
  return {
    id: conversation.id,
    chatId: conversation.chatId,
    threadId: conversation.threadId,
    title: conversation.title,
    startedAt: conversation.startedAt.toISOString(),
    endedAt: conversation.endedAt?.toISOString() ?? null,
    summary: conversation.summary,
    messages: messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      createdAt: m.createdAt.toISOString(),
      model: m.model,
      tokensIn: m.tokensIn,
      tokensOut: m.tokensOut,
    })),
  };
}

export function exportedDelivery(d: Delivery): ExportedDelivery {
  return {
    broadcastId: d.broadcastId,
    status: d.status,
    attempts: d.attempts,
    error: d.error,
    sentAt: d.sentAt?.toISOString() ?? null,
  };
}

export function exportedPayment(p: Payment): ExportedPayment {
  return {
    chargeId: p.chargeId,
    amount: p.amount,
    currency: p.currency,
    periodDays: p.periodDays,
    premiumUntil: p.premiumUntil.toISOString(),
    createdAt: p.createdAt.toISOString(),
    refundedAt: p.refundedAt?.toISOString() ?? null,
  };
}

export function exportedAudio(a: AudioFile): ExportedAudio {
  return {
    messageId: a.messageId,
    durationSec: a.durationSec,
    mime: a.mime,
    size: a.size,
    copyKept: a.storedPath !== null,
    createdAt: a.createdAt.toISOString(),
  };
}

/** `- key: value, ...` in JSON field names, instants through `date`, absent values as `none`. */
function fieldLine(
  entry: object,
  instants: readonly string[],
  none: string,
  date: (iso: string) => string,
): string {
  const shown = Object.entries(entry).map(([key, value]) => {
    if (value === null) return `${key}: ${none}`;
    return `${key}: ${instants.includes(key) ? date(String(value)) : String(value).replace(/\n/g, ' ')}`;
  });
  return `- ${shown.join(', ')}`;
}

/** Markdown for people; `date` formats an ISO instant (in the reader's zone). */
export function renderTranscript(
  data: UserExport,
  labels: TranscriptLabels,
  date: (iso: string) => string,
): string {
  const out: string[] = [`# ${labels.heading}`, '', date(data.exportedAt), '', `## ${labels.profile}`, ''];
  for (const [key, value] of Object.entries(data.profile)) {
    out.push(
      `- ${key}: ${value === null ? labels.none : typeof value === 'object' ? JSON.stringify(value) : value}`,
    );
  }
  out.push('', `## ${labels.settings}`, '');
  for (const [key, value] of Object.entries(data.settings)) {
    const shown = value === null ? labels.none : String(value).replace(/\n/g, ' ');
    out.push(`- ${key}: ${shown}`);
  }
  out.push('', `## ${labels.usage}`, '');
  if (data.usage.length === 0) out.push(labels.none);
  for (const u of data.usage) {
    out.push(
      `- ${u.day}: messages ${u.messages}, tokens ${u.tokensIn}/${u.tokensOut}, images ${u.images}, audio ${u.audioSeconds} s`,
    );
  }
  out.push('', `## ${labels.deliveries}`, '');
  if (data.deliveries.length === 0) out.push(labels.none);
  for (const d of data.deliveries) out.push(fieldLine(d, ['sentAt'], labels.none, date));
  out.push('', `## ${labels.audio}`, '');
  if (data.audio.length === 0) out.push(labels.none);
  for (const a of data.audio) out.push(fieldLine(a, ['createdAt'], labels.none, date));
  out.push('', `## ${labels.payments}`, '');
  if (data.payments.length === 0) out.push(labels.none);
  for (const p of data.payments) {
    out.push(fieldLine(p, ['premiumUntil', 'createdAt', 'refundedAt'], labels.none, date));
  }
  out.push('', `## ${labels.conversations}`);
  if (data.conversations.length === 0) out.push('', labels.none);
  for (const c of data.conversations) {
    out.push('', `### ${c.title ?? labels.untitled} (${date(c.startedAt)})`);
    if (c.summary) out.push('', `> ${labels.summary}: ${c.summary.replace(/\n/g, ' ')}`);
    for (const m of c.messages) {
      out.push(
        '',
        `**${m.role === 'user' ? labels.user : labels.model}** (${date(m.createdAt)}):`,
        '',
        m.content,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
