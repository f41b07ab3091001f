/**
 * The system instruction sent with every model call, and the built-in personas. These are
 * instructions to the model, not text users read, so they live here in English rather than
 * in the locale files.
 */
import type { DetailLevel } from './entities.js';
import { isValidTimeZone } from './quota.js';
import type { Persona } from './personas.js';

export { BUILTIN_PERSONAS, BUILTIN_PERSONA_IDS, resolvePersona } from './personas.js';

export interface SystemInstructionInput {
  /** The operator's prompt from config, placed first. Default: none. */
  basePrompt?: string;
  persona: Persona;
  /** The user's own prompt; null or blank when unset. */
  customPrompt: string | null;
  detailLevel: DetailLevel;
  /** Language code (en, ru) the answer defaults to. */
  language: string;
  /** IANA zone; an unknown one falls back to UTC. */
  timezone: string;
  now: Date;
}

const DETAIL_GUIDANCE: Record<DetailLevel, string> = {
  brief: 'Be brief: one to three sentences or a short list. Skip background and caveats unless asked.',
  normal: 'Give the detail the question needs and no more: short paragraphs or lists, no filler.',
  detailed:
    'Be thorough: explain the reasoning, give examples and cover edge cases; use headings and lists to structure long answers.',
};

// Thinking models count their thoughts against maxOutputTokens, so a tight cap ends in an
// empty answer (finishReason MAX_TOKENS). Brevity is asked for in the prompt; the cap only
// stops a runaway answer.
const MAX_OUTPUT_TOKENS: Record<DetailLevel, number> = { brief: 2048, normal: 8192, detailed: 16384 };

// What markdownToTelegramHtml renders well; anything else reaches the user as literal text.
const FORMATTING =
  'Your answer is shown in Telegram. Use Markdown: **bold**, _italic_, `code`, fenced code blocks with a language, ' +
  'lists and > quotes. Do not use HTML. Prefer lists to tables; keep tables narrow.';

export function buildSystemInstruction(input: SystemInstructionInput): string {
  const zone = isValidTimeZone(input.timezone) ? input.timezone : 'UTC';
  const custom = input.customPrompt?.trim() ?? '';
  const sections = [
    (input.basePrompt ?? '').trim(),
    input.persona.prompt.trim(),
    `Current date and time for the user: ${localDateTime(input.now, zone)}.`,
    DETAIL_GUIDANCE[input.detailLevel],
    `Answer in ${languageName(input.language)} unless the user writes in another language or asks for one.`,
    FORMATTING,
    custom === ''
      ? ''
      : `The user's own instructions follow. Honour them where they do not conflict with the rules above:\n"""\n${custom}\n"""`,
  ];
  return sections.filter((s) => s !== '').join('\n\n');
}

/**
 * "Sunday, 2025-03-02 05:30 (Asia/Tokyo, UTC+09:00)": built from parts rather than a locale
 * pattern, so it reads the same to the model on every ICU version.
 */
function localDateTime(now: Date, zone: string): string {
  // The prompt shows minutes: one formatting per zone and minute serves every prompt in it.
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = lastClockReadings.get(zone);
  if (cached?.minute === minute) return cached.text;
  const text = formatDateTime(now, zone);
  if (lastClockReadings.size >= 1000) lastClockReadings.clear();
  lastClockReadings.set(zone, { minute, text });
  return text;
}
const lastClockReadings = new Map<string, { minute: number; text: string }>();

function formatDateTime(now: Date, zone: string): string {
  const parts = promptClock(zone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace('GMT', 'UTC');
  const date = `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  return `${part('weekday')}, ${date} (${zone}, ${offset === 'UTC' ? 'UTC+00:00' : offset})`;
}

/**
 * Building an Intl.DateTimeFormat costs more than the rest of the prompt, so one is kept per
 * zone. Zones reach here already validated, and there are only a few hundred of them.
 */
const promptClocks = new Map<string, Intl.DateTimeFormat>();
function promptClock(zone: string): Intl.DateTimeFormat {
  let clock = promptClocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'long',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    promptClocks.set(zone, clock);
  }
  return clock;
}

export function maxOutputTokensFor(detailLevel: DetailLevel): number {
  return MAX_OUTPUT_TOKENS[detailLevel];
}

/** "ru" -> "Russian", for instructions; an unknown code is returned as it is. */
export function languageName(code: string): string {
  let name = languageNames.get(code);
  if (name === undefined) {
    try {
      name = (englishLanguageNames ??= new Intl.DisplayNames(['en'], { type: 'language' })).of(code) ?? code;
    } catch {
      name = code;
    }
    // Codes come from users' Telegram clients: a bound keeps odd ones from piling up.
    if (languageNames.size >= 500) languageNames.clear();
    languageNames.set(code, name);
  }
  return name;
}
/** Built once: constructing Intl.DisplayNames costs more than the rest of a prompt. */
let englishLanguageNames: Intl.DisplayNames | undefined;
/** Looking a name up in ICU costs more than a prompt's string work: each code is looked up once. */
const languageNames = new Map<string, string>();
