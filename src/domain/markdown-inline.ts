/**
 * Inline Markdown: code spans, links, `<br>`, then emphasis, strike and spoilers, which
 * markdown-emphasis.ts pairs. Code spans and links are settled first, as in CommonMark,
 * so a `*` inside code or a URL never becomes formatting.
 */
import { delimiter, pairDelimiters, renderDelimiter, type Delimiter } from './markdown-emphasis.js';
import { plainTarget, type RenderTarget } from './markdown-target.js';

type Node = string | Delimiter;

export interface InlineOptions {
  /** False inside a link label: Telegram cannot nest links. Default true. */
  links?: boolean;
}

const ESCAPABLE = /[!-/:-@[-`{-~]/;
const SAFE_HREF = /^(?:(?:https?|tg):\/\/[^\s<>]+|mailto:[^\s<>]+)$/i;
const AUTOLINK = /<((?:https?|tg):\/\/[^\s<>]+|mailto:[^\s<>]+)>/iy;
const BREAK_TAG = /<br\s*\/?>/iy;

export function renderInline(text: string, target: RenderTarget, options: InlineOptions = {}): string {
  const links = options.links ?? true;
  const nodes: Node[] = [];
  let literal = '';
  // Backtick run lengths with no closing run further on: none will appear later either.
  const unclosed = new Set<number>();
  const push = (node: Node): void => {
    if (literal !== '') nodes.push(target.text(literal));
    literal = '';
    nodes.push(node);
  };
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    const angle = ch === '<' ? matchAngle(text, i, links) : null;
    if (ch === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      literal += text[i + 1];
      i += 2;
    } else if (ch === '`') {
      const run = runLength(text, i);
      const end = unclosed.has(run) ? -1 : findRun(text, i + run, '`', run);
      if (end === -1) {
        unclosed.add(run);
        literal += text.slice(i, i + run);
        i += run;
      } else {
        const code = target.text(codeContent(text.slice(i + run, end)));
        push(target.open('code') + code + target.close('code'));
        i = end + run;
      }
    } else if (links && (ch === '[' || (ch === '!' && text[i + 1] === '['))) {
      const link = parseLink(text, ch === '!' ? i + 1 : i);
      if (link === null) literal += ch;
      else push(renderLink(link.label, link.href, target));
      i = link === null ? i + 1 : link.end;
    } else if (angle !== null) {
      if (angle.href === null) literal += '\n';
      else push(target.link(angle.href, target.text(angle.href)));
      i += angle.length;
    } else if (ch === '*' || ch === '_' || ch === '~' || ch === '|') {
      const run = runLength(text, i);
      // A single ~ means "about" and a single | is a pipe far more often than markup.
      if ((ch === '~' || ch === '|') && run !== 2) literal += text.slice(i, i + run);
      else push(delimiter(text, i, run, ch));
      i += run;
    } else {
      literal += ch;
      i += 1;
    }
  }
  if (literal !== '') nodes.push(target.text(literal));
  pairDelimiters(
    nodes.filter((n): n is Delimiter => typeof n !== 'string'),
    target,
  );
  return nodes.map((n) => (typeof n === 'string' ? n : renderDelimiter(n))).join('');
}

/** `<br>` (models put it in table cells) becomes a line break; `<https://...>` an autolink. */
function matchAngle(
  text: string,
  at: number,
  links: boolean,
): { length: number; href: string | null } | null {
  BREAK_TAG.lastIndex = at;
  const br = BREAK_TAG.exec(text);
  if (br !== null) return { length: br[0].length, href: null };
  if (!links) return null;
  AUTOLINK.lastIndex = at;
  const auto = AUTOLINK.exec(text);
  return auto === null ? null : { length: auto[0].length, href: auto[1]! };
}

function runLength(text: string, start: number): number {
  let end = start;
  while (text[end] === text[start]) end += 1;
  return end - start;
}

/** Index of the next run of exactly `length` copies of `char`, or -1. */
function findRun(text: string, from: number, char: string, length: number): number {
  for (let j = text.indexOf(char, from); j !== -1; j = text.indexOf(char, j)) {
    const run = runLength(text, j);
    if (run === length) return j;
    j += run;
  }
  return -1;
}

function codeContent(raw: string): string {
  const content = raw.replaceAll('\n', ' ');
  const padded = content.length > 2 && content.startsWith(' ') && content.endsWith(' ');
  return padded && content.trim() !== '' ? content.slice(1, -1) : content;
}

function parseLink(text: string, open: number): { label: string; href: string; end: number } | null {
  const labelEnd = matching(text, open, '[', ']');
  if (labelEnd === -1 || text[labelEnd + 1] !== '(') return null;
  const destinationEnd = matching(text, labelEnd + 1, '(', ')');
  if (destinationEnd === -1) return null;
  const destination = text.slice(labelEnd + 2, destinationEnd).trim();
  const href = destination.startsWith('<')
    ? destination.slice(1, Math.max(1, destination.indexOf('>')))
    : (destination.split(/\s/)[0] ?? '');
  return { label: text.slice(open + 1, labelEnd), href, end: destinationEnd + 1 };
}

// Bounded so that a paragraph of unmatched brackets stays linear, not quadratic; no real
// link label or address is anywhere near this long.
const MAX_LINK_PART = 2048;

function matching(text: string, open: number, opener: string, closer: string): number {
  let depth = 0;
  for (let j = open; j < Math.min(text.length, open + MAX_LINK_PART); j++) {
    if (text[j] === '\\') j += 1;
    else if (text[j] === opener) depth += 1;
    else if (text[j] === closer && --depth === 0) return j;
  }
  return -1;
}

function renderLink(label: string, href: string, target: RenderTarget): string {
  const inner = renderInline(label, target, { links: false });
  if (!SAFE_HREF.test(href)) return inner;
  return target.link(href, inner === '' ? target.text(href) : inner);
}

/** Inline Markdown reduced to its text, for places that cannot hold markup (table cells). */
export function inlineToPlain(text: string): string {
  return renderInline(text, plainTarget);
}
