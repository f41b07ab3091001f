/**
 * Emphasis pairing for inline Markdown, a simplified CommonMark delimiter-run algorithm.
 *
 * A closer pairs with the nearest eligible opener and every delimiter between them is
 * settled as literal text. That rule is what keeps the output properly nested for any input;
 * whatever stays unpaired (`**bold`, `2 * 3 * 4`, snake_case) is emitted as written.
 */
import type { InlineTag, RenderTarget } from './markdown-target.js';

export type DelimiterChar = '*' | '_' | '~' | '|';

export interface Delimiter {
  char: DelimiterChar;
  /** The run's original length; `count` is what is still unpaired. */
  length: number;
  count: number;
  canOpen: boolean;
  canClose: boolean;
  active: boolean;
  /** Closing tags emitted before the literal remainder, innermost first. */
  closes: string[];
  /** Opening tags emitted after the literal remainder, outermost first. */
  opens: string[];
}

const isSpace = (c: string): boolean => c === '' || /\s/u.test(c);
const isPunct = (c: string): boolean => c !== '' && /[\p{P}\p{S}]/u.test(c);

/** CommonMark flanking rules; `_` additionally refuses to open or close inside a word. */
export function delimiter(text: string, start: number, count: number, char: DelimiterChar): Delimiter {
  const before = start === 0 ? '' : String.fromCodePoint(codePointBefore(text, start));
  const after = start + count >= text.length ? '' : String.fromCodePoint(text.codePointAt(start + count)!);
  const left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
  const right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
  const canOpen = char === '_' ? left && (!right || isPunct(before)) : left;
  const canClose = char === '_' ? right && (!left || isPunct(after)) : right;
  return { char, length: count, count, canOpen, canClose, active: true, closes: [], opens: [] };
}

/** Pairs openers with closers in place, recording the tags each delimiter emits. */
export function pairDelimiters(delimiters: Delimiter[], target: RenderTarget): void {
  // Below this index no opener can pair with a closer of the same kind: later searches stop there.
  const bottoms = new Map<string, number>();
  delimiters.forEach((closer, ci) => {
    const kind = `${closer.char}${closer.canOpen}${closer.length % 3}`;
    while (closer.canClose && closer.count > 0) {
      const bottom = bottoms.get(kind) ?? -1;
      let oi = ci - 1;
      while (oi > bottom && !canPair(delimiters[oi]!, closer)) oi -= 1;
      if (oi <= bottom) {
        bottoms.set(kind, ci - 1);
        return;
      }
      const opener = delimiters[oi]!;
      const used = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      const tag = tagFor(closer.char, used);
      opener.count -= used;
      closer.count -= used;
      // A later pairing of the same run wraps the earlier one.
      opener.opens.unshift(target.open(tag));
      closer.closes.push(target.close(tag));
      for (let k = oi + 1; k < ci; k++) delimiters[k]!.active = false;
    }
  });
}

/** CommonMark's "rule of 3" keeps `**foo*bar**` bold rather than pairing the lone `*`. */
function canPair(opener: Delimiter, closer: Delimiter): boolean {
  if (!opener.active || opener.char !== closer.char || !opener.canOpen || opener.count === 0) return false;
  const either = opener.canClose || closer.canOpen;
  const sum = opener.length + closer.length;
  return !either || sum % 3 !== 0 || (opener.length % 3 === 0 && closer.length % 3 === 0);
}

export function renderDelimiter(d: Delimiter): string {
  return d.closes.join('') + d.char.repeat(d.count) + d.opens.join('');
}

function tagFor(char: DelimiterChar, used: number): InlineTag {
  if (char === '~') return 's';
  if (char === '|') return 'tg-spoiler';
  return used === 2 ? 'b' : 'i';
}

function codePointBefore(text: string, index: number): number {
  const low = text.charCodeAt(index - 1);
  const high = text.charCodeAt(index - 2);
  const paired = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return paired ? text.codePointAt(index - 2)! : low;
}
