/**
 * Telegram-style HTML as the Bot API reads it: tags, entities and single code points.
 * A text token is one code point or one entity, so nothing built from tokens can cut
 * through a tag, an `&amp;` or a surrogate pair.
 */

export type HtmlToken =
  | { kind: 'open'; name: string; raw: string }
  | { kind: 'close'; name: string; raw: string }
  /** `text` is what Telegram shows (an entity decoded); `raw` is what is sent. */
  | { kind: 'text'; raw: string; text: string };

const TAG = /<(\/?)([a-zA-Z][\w-]*)(?:\s[^<>]*)?>/y;
const ENTITY = /&(#\d{1,7}|#[xX][\da-fA-F]{1,6}|[a-zA-Z][a-zA-Z\d]{1,31});/y;
const NAMED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
]);

export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  for (let i = 0; i < html.length;) {
    const ch = html[i]!;
    if (ch !== '<' && ch !== '&') {
      const unit = ch.charCodeAt(0);
      const char = unit >= 0xd800 && unit <= 0xdbff ? String.fromCodePoint(html.codePointAt(i)!) : ch;
      tokens.push({ kind: 'text', raw: char, text: char });
      i += char.length;
      continue;
    }
    TAG.lastIndex = i;
    const tag = ch === '<' ? TAG.exec(html) : null;
    ENTITY.lastIndex = i;
    const entity = ch === '&' ? ENTITY.exec(html) : null;
    const decoded = entity === null ? null : decodeEntity(entity[1]!);
    if (tag !== null) {
      tokens.push({ kind: tag[1] === '/' ? 'close' : 'open', name: tag[2]!.toLowerCase(), raw: tag[0] });
      i += tag[0].length;
    } else if (entity !== null && decoded !== null) {
      tokens.push({ kind: 'text', raw: entity[0], text: decoded });
      i += entity[0].length;
    } else {
      tokens.push({ kind: 'text', raw: ch, text: ch });
      i += 1;
    }
  }
  return tokens;
}

// Telegram knows only these four named entities (and every numeric one); anything else
// stays raw text, so it is counted at its full, longer raw length.
function decodeEntity(body: string): string | null {
  if (!body.startsWith('#')) return NAMED.get(body) ?? null;
  const hex = body[1] === 'x' || body[1] === 'X';
  const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

/** The text Telegram shows for this HTML: tags removed, entities decoded. */
export function htmlToText(html: string): string {
  return tokenizeHtml(html)
    .map((t) => (t.kind === 'text' ? t.text : ''))
    .join('');
}

/**
 * The length Telegram checks against its 4096 (message) and 1024 (caption) limits:
 * text after entity parsing, in UTF-16 code units. Telegram's own offsets are UTF-16,
 * and counting units rather than code points can only over-count, never under-count.
 */
export function telegramTextLength(html: string): number {
  return htmlToText(html).length;
}
