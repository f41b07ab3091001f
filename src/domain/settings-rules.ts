/**
 * Rules for what a user may choose in /settings: interface languages (one locale file each),
 * the length of their own system prompt, which personas and models exist.
 */
import { BUILTIN_PERSONA_IDS } from './personas.js';

/** Interface languages with a src/locales/<code>.ftl; answers may still come in any language. */
export const INTERFACE_LANGUAGES = ['en', 'ru'] as const;
export type InterfaceLanguage = (typeof INTERFACE_LANGUAGES)[number];

/** A user's own prompt is sent with every request: long enough for real instructions, bounded in cost. */
export const MAX_CUSTOM_PROMPT_CHARS = 2000;

/** Conversation titles, generated or typed: one line in a list of buttons. */
export const MAX_TITLE_CHARS = 64;

export function isInterfaceLanguage(value: string): value is InterfaceLanguage {
  return (INTERFACE_LANGUAGES as readonly string[]).includes(value);
}

/**
 * A new user's language, decided once at first contact from Telegram's language_code: its
 * primary subtag ("pt-BR" -> "pt"), "en" when Telegram sends none. Answers, summaries and
 * dates follow it; the interface follows it where a locale file exists (interfaceLanguageFor).
 * The user changes it with /language.
 */
export function userLanguageFor(languageCode: string | null | undefined): string {
  const primary = languageCode?.toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : 'en';
}

/** The interface language for a user's language or a Telegram language_code: ru-* -> ru, anything else -> en. */
export function interfaceLanguageFor(code: string | null | undefined): InterfaceLanguage {
  const language = userLanguageFor(code);
  return isInterfaceLanguage(language) ? language : 'en';
}

/** Persona ids a user can pick: the built-in ones, then the operator's (config `personas`). */
export function personaIds(operator: Readonly<Record<string, string>>): string[] {
  const builtin: readonly string[] = BUILTIN_PERSONA_IDS;
  return [...builtin, ...Object.keys(operator).filter((id) => !builtin.includes(id))];
}

/** Models a user can pick: the default first, then the operator's allow-list. */
export function selectableModels(defaultModel: string, allowList: readonly string[]): string[] {
  return [...new Set([defaultModel, ...allowList])];
}

/** One line, trimmed, at most MAX_TITLE_CHARS (cut at a word when possible); empty when nothing is left. */
export function cleanTitle(raw: string): string {
  const line =
    raw
      .replace(/[*_`#>]/g, '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const unquoted = line
    .replace(/^(title|название):\s*/i, '')
    .replace(/^["'«“]+|["'»”]+$/g, '')
    .trim();
  if (unquoted.length <= MAX_TITLE_CHARS) return unquoted;
  const cut = unquoted.slice(0, MAX_TITLE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The model instruction that names a conversation from its first exchange (English: it is for the model). */
export function buildTitlePrompt(question: string, answer: string, language: string): string {
  const clip = (text: string) => (text.length > 1500 ? `${text.slice(0, 1500)}…` : text);
  return [
    `Write a short title (at most 6 words) for the conversation below, in the language of the user's message (default: ${language}).`,
    'Reply with the title only: no quotes, no punctuation at the end, no Markdown.',
    '',
    `User: ${clip(question)}`,
    `Assistant: ${clip(answer)}`,
  ].join('\n');
}
