/**
 * Splits converted Telegram HTML into messages that each fit and each parse on their own.
 *
 * Length is counted as Telegram counts it: the text after entity parsing (tags cost nothing,
 * `&lt;` costs 1), in UTF-16 code units. Markup is bounded separately by `maxRawLength`
 * (default 2 × limit): Telegram documents no raw limit, but a chunk of `&lt;`-dense code or
 * deeply nested tags should not balloon; an extra message is the cheaper failure.
 *
 * Break preference: paragraph (\n\n), line, sentence end, space, then a hard cut on a
 * grapheme boundary. A preferred break counts only if it keeps at least half the chunk;
 * whitespace at a break stays at the end of the earlier chunk (Telegram trims it).
 * Tags still open at a break are closed there and reopened, attributes and all, next time.
 */
import { BreakCandidates } from './split-breaks.js';
import { tokenizeHtml, type HtmlToken } from './telegram-html-tokens.js';

export { htmlToText, telegramTextLength } from './telegram-html-tokens.js';

export const TELEGRAM_MESSAGE_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

export interface SplitOptions {
  /** Upper bound on a chunk's HTML length, markup included. Default: 2 × limit. */
  maxRawLength?: number;
}

interface OpenTag {
  name: string;
  raw: string;
}

/**
 * Chunks whose text is only whitespace are dropped (Telegram rejects empty messages): an empty
 * or blank input gives [], and so would a whitespace run longer than `limit`. Otherwise the
 * chunks' texts concatenate to the input's text exactly.
 * The input must be well-formed, as markdownToTelegramHtml's output is.
 */
export function splitTelegramHtml(
  html: string,
  limit = TELEGRAM_MESSAGE_LIMIT,
  options: SplitOptions = {},
): string[] {
  if (!Number.isInteger(limit) || limit < 2)
    throw new RangeError(`limit must be an integer >= 2, got ${limit}`);
  const maxRaw = options.maxRawLength ?? limit * 2;
  const tokens = tokenizeHtml(html);
  const chunks: string[] = [];
  let stack: OpenTag[] = [];
  for (let start = 0; start < tokens.length;) {
    const end = chunkEnd(tokens, start, stack, limit, maxRaw);
    const after = replay(stack, tokens.slice(start, end));
    const body = tokens.slice(start, end);
    if (body.some((t) => t.kind === 'text' && /\S/.test(t.text))) {
      const closing = after.map((t) => `</${t.name}>`).reverse();
      chunks.push([...stack.map((t) => t.raw), ...body.map((t) => t.raw), ...closing].join(''));
    }
    stack = after;
    start = end;
  }
  return chunks;
}

/** Token index (exclusive) where the chunk starting at `start` ends. */
function chunkEnd(
  tokens: HtmlToken[],
  start: number,
  stack: OpenTag[],
  limit: number,
  maxRaw: number,
): number {
  // Raw length counts the reopened prefix and the closing suffix the chunk would need.
  let raw = stack.reduce((n, t) => n + t.raw.length + t.name.length + 3, 0);
  const open = stack.map((t) => t.name);
  let text = 0;
  let fit = -1;
  let fitText = 0;
  let previous = '';
  let visible = false;
  const candidates = new BreakCandidates();
  for (let t = start; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.kind === 'open') {
      raw += token.raw.length + token.name.length + 3;
      open.push(token.name);
    } else if (token.kind === 'close') {
      // A close that matches replaces the suffix tag already counted for it.
      const matches = open.at(-1) === token.name;
      raw += token.raw.length - (matches ? token.name.length + 3 : 0);
      if (matches) open.pop();
    } else {
      text += token.text.length;
      raw += token.raw.length;
      if (text > limit || raw > maxRaw)
        return closeAfter(tokens, candidates.pick(tokens, start, fit, fitText));
      fit = t + 1;
      fitText = text;
      visible ||= /\S/.test(token.text);
      // A break before anything visible would make a blank chunk, which Telegram rejects.
      if (visible) candidates.note(previous, token.text, t + 1, text);
      previous = token.text;
    }
  }
  return tokens.length;
}

/** Closing tags right after a break belong to the chunk they close: no empty `<b></b>` next. */
function closeAfter(tokens: HtmlToken[], end: number): number {
  let t = end;
  while (tokens[t]?.kind === 'close') t += 1;
  return t;
}

function replay(stack: OpenTag[], tokens: HtmlToken[]): OpenTag[] {
  const next = [...stack];
  for (const token of tokens) {
    if (token.kind === 'open') next.push({ name: token.name, raw: token.raw });
    else if (token.kind === 'close' && next.at(-1)?.name === token.name) next.pop();
  }
  return next;
}
