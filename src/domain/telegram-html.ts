/**
 * Gemini-style Markdown -> Telegram's HTML subset (parse_mode HTML), and the same structure
 * as plain text for the fallback send. A line-oriented block pass (fences, headings, quotes,
 * lists, tables, paragraphs) hands each block's text to the inline renderer, so no tag ever
 * crosses a block and every tag opened is closed: the output is well-formed for any input.
 * Unbalanced markers (`**bold`, an unclosed ``` fence) are emitted as literal text.
 */
import { renderInline } from './markdown-inline.js';
import { isTableRow, isTableStart, renderTable } from './markdown-table.js';
import { htmlTarget, plainTarget, withoutTag, type RenderTarget } from './markdown-target.js';

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?\S)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;
const LANGUAGE = /^[\w+#.-]{1,32}$/;
const BULLETS = ['• ', '◦ ', '▪ '] as const;

/** Telegram HTML: only b, i, s, code, pre, a, blockquote and tg-spoiler are emitted. */
export function markdownToTelegramHtml(markdown: string): string {
  return renderBlocks(markdown, htmlTarget, false);
}

/** The same layout without markup, for when Telegram still refuses the HTML. */
export function stripToPlainText(markdown: string): string {
  return renderBlocks(markdown, plainTarget, false);
}

interface Block {
  text: string;
  next: number;
}

interface State {
  target: RenderTarget;
  inQuote: boolean;
  /** Indentation of each open list level, to turn 2-, 3- or 4-space nesting into levels. */
  listIndents: number[];
  /** Shortest fence per character known to have no closer below: longer ones cannot close either. */
  unclosed: Map<string, number>;
}

function renderBlocks(markdown: string, target: RenderTarget, inQuote: boolean): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const state: State = { target, inQuote, listIndents: [], unclosed: new Map() };
  let out = '';
  let gap = false;
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    if (line.trim() === '') {
      gap = true;
      i += 1;
      continue;
    }
    if (!/^\s/.test(line) && !LIST_ITEM.test(line)) state.listIndents.length = 0;
    const block = readBlock(lines, i, state);
    if (block.text !== '') out += (out === '' ? '' : gap ? '\n\n' : '\n') + block.text;
    gap = false;
    i = block.next;
  }
  return out;
}

function readBlock(lines: string[], i: number, state: State): Block {
  const { target } = state;
  const line = lines[i]!;
  const fence = FENCE_OPEN.exec(line);
  if (fence !== null) return readFence(lines, i, fence, state);
  const heading = HEADING.exec(line);
  if (heading !== null) {
    const inner = renderInline(heading[1]!, withoutTag(target, 'b'));
    return { text: target.open('b') + inner + target.close('b'), next: i + 1 };
  }
  if (RULE.test(line)) return { text: '———', next: i + 1 };
  if (QUOTE.test(line)) return readQuote(lines, i, state);
  if (isTableStart(line, lines[i + 1])) {
    let end = i + 2;
    while (end < lines.length && isTableRow(lines[end]!)) end += 1;
    return { text: renderTable(lines.slice(i, end), target), next: end };
  }
  const item = LIST_ITEM.exec(line);
  if (item !== null) return readListItem(lines, i, item, state);
  let end = i + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && !startsBlock(lines, end)) end += 1;
  const paragraph = lines.slice(i, end).map((l) => l.trim());
  return { text: renderInline(paragraph.join('\n'), target), next: end };
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i]!;
  return (
    [FENCE_OPEN, HEADING, RULE, QUOTE, LIST_ITEM].some((re) => re.test(line)) ||
    isTableStart(line, lines[i + 1])
  );
}

function readFence(lines: string[], i: number, open: RegExpExecArray, state: State): Block {
  const [, indent = '', marker = '', info = ''] = open;
  const char = marker[0]!;
  const known = state.unclosed.get(char) ?? Number.POSITIVE_INFINITY;
  for (let end = i + 1; marker.length < known && end < lines.length; end++) {
    const close = FENCE_CLOSE.exec(lines[end]!)?.[1];
    if (close === undefined || close[0] !== char || close.length < marker.length) continue;
    // Fences indented under a list item carry that indentation on every line.
    const code = lines.slice(i + 1, end).map((l) => l.replace(new RegExp(`^[ \\t]{0,${indent.length}}`), ''));
    const text = code.join('\n');
    // An empty block would be an empty entity: nothing to show, and the plain text would differ.
    const language = LANGUAGE.test(info) ? info : null;
    return { text: text === '' ? '' : state.target.pre(text, language), next: end + 1 };
  }
  state.unclosed.set(char, Math.min(known, marker.length));
  return { text: state.target.text(lines[i]!.trim()), next: i + 1 };
}

function readQuote(lines: string[], i: number, state: State): Block {
  let end = i;
  const inner: string[] = [];
  for (let m = QUOTE.exec(lines[end] ?? ''); m !== null; m = QUOTE.exec(lines[end] ?? '')) {
    inner.push(m[1]!);
    end += 1;
  }
  const body = renderBlocks(inner.join('\n'), state.target, true);
  // Telegram cannot nest blockquotes: an inner quote is flattened into the outer one.
  return { text: state.inQuote || body === '' ? body : state.target.quote(body), next: end };
}

function readListItem(lines: string[], i: number, item: RegExpExecArray, state: State): Block {
  const [, rawIndent = '', marker = '', first = ''] = item;
  const indent = rawIndent.replaceAll('\t', '    ').length;
  const levels = state.listIndents;
  while (levels.length > 0 && levels.at(-1)! > indent) levels.pop();
  if (levels.length === 0 || levels.at(-1)! < indent) levels.push(indent);
  const level = levels.length - 1;
  let bullet = /\d/.test(marker) ? `${Number.parseInt(marker, 10)}. ` : BULLETS[Math.min(level, 2)]!;
  let content = first;
  const task = TASK.exec(first);
  if (task !== null) {
    bullet = task[1] === ' ' ? '☐ ' : '☑ ';
    content = task[2]!;
  }
  const pad = '  '.repeat(level);
  const parts = [content];
  let end = i + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end]!) && !startsBlock(lines, end)) {
    parts.push(lines[end]!.trim());
    end += 1;
  }
  const hang = `\n${pad}${' '.repeat(bullet.length)}`;
  return { text: pad + bullet + renderInline(parts.join(hang), state.target), next: end };
}
