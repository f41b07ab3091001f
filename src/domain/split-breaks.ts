/**
 * Where split-message.ts cuts: the best break seen in the window that fits. Paragraphs beat
 * lines beat sentence ends beat spaces, but only while they keep the chunk at least half
 * full; otherwise the latest break of any kind wins, and with none at all a hard cut moves
 * back to a grapheme boundary so a flag or a ZWJ emoji stays whole.
 */
import type { HtmlToken } from './telegram-html-tokens.js';

const PARAGRAPH = 0;
const LINE = 1;
const SENTENCE = 2;
const SPACE = 3;

function breakKind(previous: string, char: string): number | null {
  if (char === '\n') return previous === '\n' ? PARAGRAPH : LINE;
  if (/[。！？]/.test(char)) return SENTENCE;
  if (!/\s/.test(char)) return null;
  return /[.!?…]/.test(previous) ? SENTENCE : SPACE;
}

export class BreakCandidates {
  /** Per kind: token index (exclusive) of the latest break, and the text length up to it. */
  private readonly ends = [-1, -1, -1, -1];
  private readonly texts = [0, 0, 0, 0];

  /** Records the break after `char` (which follows `previous`), if it is one. */
  note(previous: string, char: string, end: number, text: number): void {
    const kind = breakKind(previous, char);
    if (kind === null) return;
    this.ends[kind] = end;
    this.texts[kind] = text;
  }

  /** `fit`: token index (exclusive) after the last text token that fits; `fitText`: its text length. */
  pick(tokens: HtmlToken[], start: number, fit: number, fitText: number): number {
    // Nothing fits (one character over the raw bound): take it anyway, to make progress.
    if (fit === -1) return tokens.findIndex((t, i) => i >= start && t.kind === 'text') + 1;
    for (let kind = PARAGRAPH; kind <= SPACE; kind++) {
      if (this.ends[kind]! > start && this.texts[kind]! * 2 >= fitText) return this.ends[kind]!;
    }
    const latest = Math.max(...this.ends);
    return latest > start ? latest : graphemeSafe(tokens, start, fit);
  }
}

function graphemeSafe(tokens: HtmlToken[], start: number, end: number): number {
  // A few tokens past the cut show whether the cut splits a cluster.
  const texts = tokens.slice(start, end + 16).map((t) => (t.kind === 'text' ? t.text : ''));
  const cutAt = texts.slice(0, end - start).join('').length;
  const segments = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(texts.join(''));
  let boundary = 0;
  for (const { index } of segments) if (index <= cutAt) boundary = index;
  if (boundary === 0 || boundary === cutAt) return end;
  let length = 0;
  let t = start;
  while (length < boundary) length += texts[t++ - start]!.length;
  return t;
}
