/**
 * The shape of a data export (everything stored about one user) and its readable Markdown
 * form. Field names stay as in the JSON; headings and speaker names come from the caller,
 * so the bot can render them in the user's language and the CLI in English.
 */
import type { Conversation, DailyUsage, Message, User, UserSettings } from './entities.js';

export interface ExportedMessage {
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

export interface UserExport {
  format: 1;
  exportedAt: string;
  profile: Omit<User, 'id' | 'settings' | 'createdAt' | 'lastSeenAt'> & {
    createdAt: string;
    lastSeenAt: string;
  };
  settings: UserSettings;
  conversations: ExportedConversation[];
  usage: Omit<DailyUsage, 'userId'>[];
}

export interface TranscriptLabels {
  heading: string;
  profile: string;
  settings: string;
  usage: string;
  conversations: string;
  untitled: string;
  user: string;
  model: string;
  summary: string;
  none: string;
}

export const ENGLISH_TRANSCRIPT_LABELS: TranscriptLabels = {
  heading: 'Your data',
  profile: 'Profile',
  settings: 'Settings',
  usage: 'Usage per day (UTC)',
  conversations: 'Conversations',
  untitled: 'Untitled',
  user: 'You',
  model: 'Assistant',
  summary: 'Summary of earlier turns',
  none: 'none',
};

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

/** Markdown for people; `date` formats an ISO instant (in the reader's zone). */
export function renderTranscript(
  data: UserExport,
  labels: TranscriptLabels,
  date: (iso: string) => string,
): string {
  const out: string[] = [`# ${labels.heading}`, '', date(data.exportedAt), '', `## ${labels.profile}`, ''];
  for (const [key, value] of Object.entries(data.profile)) out.push(`- ${key}: ${value ?? labels.none}`);
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
