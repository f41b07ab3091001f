// parse_mode 'HTML' the way Telegram (tdlib's parse_html) does it: only a few tags, a few named
// entities, and a hard error on anything else. The error texts follow tdlib so the daemon's fallback
// ("can't parse entities" -> resend as plain text) is exercised by the very failures users hit.
import type { MessageEntity } from 'grammy/types';
import { byteOffset, EntityParseError, type Formatted } from './common.js';

const SUPPORTED = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);

const SIMPLE: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  code: 'code',
};

interface OpenTag {
  tag: string;
  start: number;
  attrs: Map<string, string>;
  /** Set by a `<code class="language-x">` directly inside this `<pre>`. */
  language?: string;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';

export function parseHtml(input: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  const len = input.length;
  const fail = (message: string, at: number): never => {
    throw new EntityParseError(`${message} at byte offset ${byteOffset(input, at)}`);
  };
  let i = 0;
  while (i < len) {
    const c = input[i];
    if (c === '&') {
      const decoded = decodeEntity(input, i);
      out += decoded.text;
      i = decoded.end;
      continue;
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const begin = i++;
    if (input[i] !== '/') {
      let j = i;
      while (j < len && !isSpace(input[j]) && input[j] !== '>') j++;
      if (j >= len) fail('Unclosed start tag', begin);
      const tag = input.slice(i, j).toLowerCase();
      if (!SUPPORTED.has(tag)) fail(`Unsupported start tag "${tag}"`, begin);
      const parsed = parseAttributes(input, j, tag, () => fail('Unclosed start tag', begin));
      i = parsed.end;
      if (tag === 'span' && parsed.attrs.get('class') !== 'tg-spoiler') {
        fail('Tag "span" must have class "tg-spoiler"', begin);
      }
      stack.push({ tag, start: out.length, attrs: parsed.attrs });
      continue;
    }
    if (stack.length === 0) fail('Unexpected end tag', begin);
    i++;
    let j = i;
    while (j < len && !isSpace(input[j]) && input[j] !== '>') j++;
    const name = input.slice(i, j).toLowerCase();
    while (j < len && isSpace(input[j])) j++;
    if (input[j] !== '>') fail('Unclosed end tag', begin);
    i = j + 1;
    const open = stack.pop() as OpenTag;
    if (name !== '' && name !== open.tag) {
      throw new EntityParseError(
        `Unmatched end tag at byte offset ${byteOffset(input, begin)}, expected "</${open.tag}>", found "</${name}>"`,
      );
    }
    closeTag(open, out, stack, entities);
  }
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) {
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  }
  return { text: out, entities };
}

function closeTag(open: OpenTag, out: string, stack: OpenTag[], entities: MessageEntity[]): void {
  const offset = open.start;
  const length = out.length - offset;
  const parent = stack.at(-1);
  const cls = open.attrs.get('class') ?? '';
  // <pre><code class="language-x"> is one "pre" entity with a language, not two entities.
  if (
    open.tag === 'code' &&
    parent?.tag === 'pre' &&
    parent.start === offset &&
    cls.startsWith('language-')
  ) {
    parent.language = cls.slice('language-'.length);
    return;
  }
  if (length === 0) return;
  const simple = SIMPLE[open.tag];
  if (simple !== undefined) {
    entities.push({ type: simple, offset, length } as MessageEntity);
  } else if (open.tag === 'pre') {
    entities.push(
      open.language !== undefined
        ? { type: 'pre', offset, length, language: open.language }
        : { type: 'pre', offset, length },
    );
  } else if (open.tag === 'blockquote') {
    entities.push({
      type: open.attrs.has('expandable') ? 'expandable_blockquote' : 'blockquote',
      offset,
      length,
    });
  } else if (open.tag === 'tg-emoji') {
    entities.push({
      type: 'custom_emoji',
      offset,
      length,
      custom_emoji_id: open.attrs.get('emoji-id') ?? '',
    });
  } else if (open.tag === 'a') {
    const url = open.attrs.get('href') ?? out.slice(offset);
    const mention = /^tg:\/\/user\?id=(\d+)$/.exec(url);
    entities.push(
      mention?.[1] !== undefined
        ? {
            type: 'text_mention',
            offset,
            length,
            user: { id: Number(mention[1]), is_bot: false, first_name: 'User' },
          }
        : { type: 'text_link', offset, length, url },
    );
  }
}

function parseAttributes(
  input: string,
  from: number,
  tag: string,
  unclosed: () => never,
): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  const len = input.length;
  let i = from;
  for (;;) {
    while (i < len && isSpace(input[i])) i++;
    if (i >= len) unclosed();
    if (input[i] === '>') return { attrs, end: i + 1 };
    let k = i;
    while (k < len && !isSpace(input[k]) && input[k] !== '=' && input[k] !== '>') k++;
    const name = input.slice(i, k).toLowerCase();
    i = k;
    while (i < len && isSpace(input[i])) i++;
    if (input[i] !== '=') {
      // The only valueless attribute Telegram knows: <blockquote expandable>.
      if (tag === 'blockquote' && name === 'expandable') {
        attrs.set(name, '');
        continue;
      }
      throw new EntityParseError(
        `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(input, i)}`,
      );
    }
    i++;
    while (i < len && isSpace(input[i])) i++;
    if (i >= len) unclosed();
    const quote = input[i];
    if (quote === '"' || quote === "'") {
      const end = input.indexOf(quote, i + 1);
      if (end < 0) unclosed();
      attrs.set(name, decodeAll(input.slice(i + 1, end)));
      i = end + 1;
    } else {
      let e = i;
      while (e < len && !isSpace(input[e]) && input[e] !== '>') e++;
      attrs.set(name, decodeAll(input.slice(i, e)));
      i = e;
    }
  }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Decodes the entity at `at`; an unknown one stays literal text, as in Telegram. */
function decodeEntity(input: string, at: number): { text: string; end: number } {
  const semi = input.indexOf(';', at);
  if (semi > at + 1 && semi - at <= 12) {
    const body = input.slice(at + 1, semi);
    const named = NAMED[body];
    if (named !== undefined) return { text: named, end: semi + 1 };
    const numeric = /^#(?:x([0-9a-f]+)|(\d+))$/i.exec(body);
    if (numeric !== null) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code > 0 && code <= 0x10ffff) return { text: String.fromCodePoint(code), end: semi + 1 };
    }
  }
  return { text: '&', end: at + 1 };
}

function decodeAll(value: string): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    if (value[i] === '&') {
      const decoded = decodeEntity(value, i);
      out += decoded.text;
      i = decoded.end;
    } else {
      out += value[i];
      i++;
    }
  }
  return out;
}
