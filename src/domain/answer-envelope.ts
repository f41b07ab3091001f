/**
 * Extras that ride in the same model call as the answer: a transcript of the user's audio
 * before it and follow-up suggestions after it, each in its own tag. One call instead of a
 * separate transcription or suggestion call: the audio is sent (and paid for) once, and the
 * extras cost only their own output tokens. While the answer streams, the tags are hidden;
 * a model that ignores the format simply yields no extras, never a broken answer.
 */

export interface EnvelopeRequest {
  /** Ask for <transcript>…</transcript> first (audio turns). */
  transcript: boolean;
  /** Ask for up to three follow-up questions in <suggestions>…</suggestions> last. */
  suggestions: boolean;
}

export interface ParsedAnswer {
  transcript: string | null;
  answer: string;
  suggestions: string[];
}

const T_OPEN = '<transcript>';
const T_CLOSE = '</transcript>';
const S_OPEN = '<suggestions>';
const S_CLOSE = '</suggestions>';
const MAX_SUGGESTIONS = 3;
/** Longer suggestions read badly on a button (Telegram cuts the label anyway). */
const MAX_SUGGESTION_CHARS = 120;

/** The format instruction appended to the system instruction; '' when nothing extra is wanted. */
export function envelopeInstruction(request: EnvelopeRequest): string {
  const lines: string[] = [];
  if (request.transcript) {
    lines.push(
      `Start your reply with a verbatim transcript of the user's audio in its original language, wrapped as ${T_OPEN}…${T_CLOSE} on its own line; then answer the user as usual.`,
    );
  }
  if (request.suggestions) {
    lines.push(
      `After the answer, add up to ${MAX_SUGGESTIONS} short follow-up questions the user might ask next, one per line, wrapped as ${S_OPEN}\\n…\\n${S_CLOSE}. Write them in the user's language, as the user would ask them.`,
    );
  }
  return lines.join('\n');
}

/** Splits a finished reply into transcript, answer and suggestions. */
export function parseEnvelope(text: string): ParsedAnswer {
  let rest = text;
  let transcript: string | null = null;
  const head = rest.trimStart();
  if (head.startsWith(T_OPEN)) {
    const end = head.indexOf(T_CLOSE);
    if (end >= 0) {
      transcript = head.slice(T_OPEN.length, end).trim() || null;
      rest = head.slice(end + T_CLOSE.length);
    }
  }
  let suggestions: string[] = [];
  const start = rest.lastIndexOf(S_OPEN);
  if (start >= 0) {
    const close = rest.indexOf(S_CLOSE, start);
    const body = rest.slice(start + S_OPEN.length, close >= 0 ? close : undefined);
    suggestions = body
      .split('\n')
      .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
      .filter((line) => line !== '' && line.length <= MAX_SUGGESTION_CHARS)
      .slice(0, MAX_SUGGESTIONS);
    rest = rest.slice(0, start) + (close >= 0 ? rest.slice(close + S_CLOSE.length) : '');
  }
  return { transcript, answer: rest.trim(), suggestions };
}

/** What may be shown of a reply still streaming: no transcript, no suggestions, no half-written tag. */
export function visibleAnswer(soFar: string): string {
  let text = soFar.trimStart();
  if (text.startsWith(T_OPEN)) {
    const end = text.indexOf(T_CLOSE);
    if (end < 0) return '';
    text = text.slice(end + T_CLOSE.length);
  } else if (T_OPEN.startsWith(text)) {
    return '';
  }
  const start = text.indexOf(S_OPEN);
  if (start >= 0) text = text.slice(0, start);
  else text = text.slice(0, text.length - partialTagSuffix(text, S_OPEN));
  return text.trim();
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
