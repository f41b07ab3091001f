// parse_mode 'MarkdownV2' and legacy 'Markdown', close to tdlib's parsers. What matters for botctl is
// the failure mode users hit with model output: an unescaped reserved character or an unclosed entity is
// a 400 "can't parse entities", not a silently garbled message.
import type { MessageEntity } from 'grammy/types';
import { byteOffset, EntityParseError, type Formatted } from './common.js';

type V2Kind = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'text_link' | 'code' | 'pre';

const V2_NAMES: Record<V2Kind, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  text_link: 'TextUrl',
  code: 'Code',
  pre: 'Pre',
};

const RESERVED = new Set('_*[]()~`>#+-=|{}.!');

interface OpenV2 {
  kind: V2Kind;
  start: number;
  at: number;
  language?: string;
}

function closesTop(top: OpenV2, input: string, i: number): number {
  const c = input[i];
  const next = input[i + 1];
  switch (top.kind) {
    case 'bold':
      return c === '*' ? 1 : 0;
    case 'italic':
      return c === '_' && next !== '_' ? 1 : 0;
    case 'underline':
      return c === '_' && next === '_' ? 2 : 0;
    case 'strikethrough':
      return c === '~' ? 1 : 0;
    case 'spoiler':
      return c === '|' && next === '|' ? 2 : 0;
    case 'text_link':
      return c === ']' ? 1 : 0;
    case 'code':
      return c === '`' ? 1 : 0;
    case 'pre':
      return input.startsWith('```', i) ? 3 : 0;
  }
}

export function parseMarkdownV2(input: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: OpenV2[] = [];
  let quoteStart: number | undefined;
  const len = input.length;
  let i = 0;
  while (i < len) {
    const c = input[i] as string;
    const code = input.charCodeAt(i + 1);
    if (c === '\\' && code > 0 && code <= 126) {
      out += input[i + 1];
      i += 2;
      continue;
    }
    const top = stack.at(-1);
    const inCode = top?.kind === 'code' || top?.kind === 'pre';
    // Inside code only '`' and '\' are special; everything else is literal.
    if (inCode && closesTop(top, input, i) === 0) {
      out += c;
      i++;
      continue;
    }
    if (c === '\n' && quoteStart !== undefined && input[i + 1] !== '>') {
      pushEntity(entities, 'blockquote', quoteStart, out.length);
      quoteStart = undefined;
    }
    if (!RESERVED.has(c)) {
      out += c;
      i++;
      continue;
    }
    if (c === '>' && (i === 0 || input[i - 1] === '\n')) {
      quoteStart ??= out.length;
      i++;
      continue;
    }
    if (top !== undefined) {
      const width = closesTop(top, input, i);
      if (width > 0) {
        stack.pop();
        i += width;
        if (top.kind === 'text_link') {
          const link = readUrl(input, i);
          i = link.end;
          pushEntity(entities, 'text_link', top.start, out.length, { url: link.url ?? out.slice(top.start) });
        } else {
          pushEntity(entities, top.kind, top.start, out.length, top.language);
        }
        continue;
      }
    }
    const at = byteOffset(input, i);
    const next = input[i + 1];
    if (c === '_' && next === '_') {
      stack.push({ kind: 'underline', start: out.length, at });
      i += 2;
    } else if (c === '_') {
      stack.push({ kind: 'italic', start: out.length, at });
      i++;
    } else if (c === '*') {
      stack.push({ kind: 'bold', start: out.length, at });
      i++;
    } else if (c === '~') {
      stack.push({ kind: 'strikethrough', start: out.length, at });
      i++;
    } else if (c === '|' && next === '|') {
      stack.push({ kind: 'spoiler', start: out.length, at });
      i += 2;
    } else if (c === '[') {
      stack.push({ kind: 'text_link', start: out.length, at });
      i++;
    } else if (input.startsWith('```', i)) {
      i += 3;
      const newline = input.indexOf('\n', i);
      const head = newline >= 0 ? input.slice(i, newline) : '';
      const language = newline >= 0 && head !== '' && !/\s/.test(head) ? head : undefined;
      if (language !== undefined) i = newline + 1;
      stack.push(
        language !== undefined
          ? { kind: 'pre', start: out.length, at, language }
          : { kind: 'pre', start: out.length, at },
      );
    } else if (c === '`') {
      stack.push({ kind: 'code', start: out.length, at });
      i++;
    } else {
      throw new EntityParseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) {
    throw new EntityParseError(
      `Can't find end of ${V2_NAMES[unclosed.kind]} entity at byte offset ${unclosed.at}`,
    );
  }
  if (quoteStart !== undefined) pushEntity(entities, 'blockquote', quoteStart, out.length);
  return { text: out, entities };
}

function readUrl(input: string, from: number): { url: string | undefined; end: number } {
  if (input[from] !== '(') return { url: undefined, end: from };
  let url = '';
  let i = from + 1;
  while (i < input.length && input[i] !== ')') {
    if (input[i] === '\\' && i + 1 < input.length) i++;
    url += input[i];
    i++;
  }
  if (i >= input.length) {
    throw new EntityParseError(`Can't find end of a URL at byte offset ${byteOffset(input, from)}`);
  }
  return { url, end: i + 1 };
}

function pushEntity(
  entities: MessageEntity[],
  type: MessageEntity['type'],
  start: number,
  end: number,
  extra?: string | { url: string },
): void {
  const length = end - start;
  if (length <= 0) return;
  if (type === 'pre') {
    entities.push(
      typeof extra === 'string'
        ? { type, offset: start, length, language: extra }
        : { type, offset: start, length },
    );
  } else if (type === 'text_link') {
    entities.push({ type, offset: start, length, url: typeof extra === 'object' ? extra.url : '' });
  } else {
    entities.push({ type, offset: start, length } as MessageEntity);
  }
}

/** Legacy Markdown: *bold* _italic_ `code` ```pre``` [text](url); nothing nests, nothing is reserved. */
export function parseLegacyMarkdown(input: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const len = input.length;
  let i = 0;
  while (i < len) {
    const c = input[i] as string;
    if (c === '\\' && '_*`['.includes(input[i + 1] ?? '')) {
      out += input[i + 1];
      i += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    const fence = c === '`' && input.startsWith('```', i);
    const closer = fence ? '```' : c === '[' ? ']' : c;
    i += fence ? 3 : 1;
    const end = input.indexOf(closer, i);
    if (end < 0) {
      throw new EntityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(input, begin)}`,
      );
    }
    const start = out.length;
    out += input.slice(i, end);
    i = end + closer.length;
    if (c === '[') {
      const link = readUrl(input, i);
      i = link.end;
      pushEntity(entities, 'text_link', start, out.length, { url: link.url ?? out.slice(start) });
    } else {
      const type = fence ? 'pre' : c === '*' ? 'bold' : c === '_' ? 'italic' : 'code';
      pushEntity(entities, type, start, out.length);
    }
  }
  return { text: out, entities };
}
