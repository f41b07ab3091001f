import { describe, expect, it } from 'vitest';
import {
  htmlToText,
  splitTelegramHtml as split,
  telegramTextLength,
} from '../../src/domain/split-message.js';
import { markdownToTelegramHtml } from '../../src/domain/telegram-html.js';
import { htmlProblems, seededRandom, visibleText } from './telegram-html-check.js';

/** What every chunk must satisfy; an empty list means all chunks do. */
function chunkProblems(chunks: string[], limit: number, maxRaw = limit * 2): string[] {
  return chunks.flatMap((chunk) => {
    const text = visibleText(chunk);
    const problems = htmlProblems(chunk);
    if (text.length > limit) problems.push(`text ${text.length} > ${limit}`);
    if (text.trim() === '') problems.push('blank chunk');
    // The raw bound may only give way when a single character cannot fit with its tags.
    if (chunk.length > maxRaw && Array.from(text).length > 1)
      problems.push(`raw ${chunk.length} > ${maxRaw}`);
    return problems.map((problem) => `${problem}: ${JSON.stringify(chunk)}`);
  });
}

/** Asserts every chunk is sound, and returns the chunks' texts. */
function checkChunks(chunks: string[], limit: number, maxRaw = limit * 2): string[] {
  expect(chunkProblems(chunks, limit, maxRaw)).toEqual([]);
  return chunks.map(visibleText);
}

describe('telegramTextLength', () => {
  it('counts text after entity parsing, in UTF-16 units', () => {
    expect(telegramTextLength('<b>a</b> &lt;&amp;&gt;&quot; <a href="https://e.com">link</a>')).toBe(11);
    expect(telegramTextLength('😀 &#128512; &#x1F600;')).toBe(8);
    expect(telegramTextLength('Привет')).toBe(6);
    expect(htmlToText('<pre><code class="language-js">a &lt; b</code></pre>')).toBe('a < b');
  });
});

describe('splitTelegramHtml', () => {
  it('returns a message that fits unchanged, and nothing for a blank one', () => {
    const html = '<b>hello</b> &amp; bye';
    expect(split(html)).toEqual([html]);
    expect(split('')).toEqual([]);
    expect(split(' \n ')).toEqual([]);
  });

  it('counts text, not markup: 4096 visible characters in tags are one message', () => {
    const html = `<b>${'x'.repeat(2000)}</b><i>${'&lt;'.repeat(2096)}</i>`;
    expect(split(html, 4096, { maxRawLength: 20_000 })).toEqual([html]);
    expect(split(`${html}y`, 4096, { maxRawLength: 20_000 })).toHaveLength(2);
  });

  it('prefers paragraph, then line, then sentence, then space, then a hard cut', () => {
    expect(split('aaaa bbbb\n\ncccc dd\nee', 16)).toEqual(['aaaa bbbb\n\n', 'cccc dd\nee']);
    expect(split('aaaa. bb\ncccc dd eeee', 16)).toEqual(['aaaa. bb\n', 'cccc dd eeee']);
    expect(split('aaaa bb. cccc dd eeeee', 12)).toEqual(['aaaa bb. ', 'cccc dd ', 'eeeee']);
    expect(split('aaaa bbbb cccc', 12)).toEqual(['aaaa bbbb ', 'cccc']);
    expect(split('abcdefghijklmnop', 6)).toEqual(['abcdef', 'ghijkl', 'mnop']);
  });

  it('ignores a preferred break that would leave the chunk less than half full', () => {
    expect(split('ab\n\ncdefgh ijklmnop qr', 20)).toEqual(['ab\n\ncdefgh ijklmnop ', 'qr']);
  });

  it('does not start a chunk with a break that would leave it blank', () => {
    expect(split('abcdefgh \n\n ijklmnopqrst', 8)).toEqual(['abcdefgh', ' \n\n ijkl', 'mnopqrst']);
  });

  it('never cuts an entity', () => {
    const chunks = split('&amp;&lt;&gt;&quot;&amp;&lt;&gt;', 3, { maxRawLength: 100 });
    expect(chunks).toEqual(['&amp;&lt;&gt;', '&quot;&amp;&lt;', '&gt;']);
  });

  it('closes open tags at a cut and reopens them, attributes included', () => {
    const html = 'Read <b>the <a href="https://e.com/?a=1&amp;b=&quot;2&quot;">very long link</a> now</b>';
    const chunks = split(html, 16, { maxRawLength: 200 });
    expect(chunks).toEqual([
      'Read <b>the <a href="https://e.com/?a=1&amp;b=&quot;2&quot;">very </a></b>',
      '<b><a href="https://e.com/?a=1&amp;b=&quot;2&quot;">long link</a> now</b>',
    ]);
    expect(checkChunks(chunks, 16, 200).join('')).toBe(visibleText(html));
  });

  it('does not leave empty elements at a break', () => {
    expect(split('<i>aaaa bbbb</i> <b>cccc</b>', 10)).toEqual(['<i>aaaa bbbb</i> ', '<b>cccc</b>']);
  });

  it('splits a 10k-character code block into well-formed <pre> chunks, on line breaks', () => {
    const lines = Array.from(
      { length: 250 },
      (_, n) => `if (a < ${n} && b > "x") { return "<tag>"; } // ${n}`,
    );
    const markdown = `Here:\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n\nDone.`;
    const html = markdownToTelegramHtml(markdown);
    expect(telegramTextLength(html)).toBeGreaterThan(10_000);
    const chunks = split(html);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const texts = checkChunks(chunks, 4096);
    expect(texts.join('')).toBe(visibleText(html));
    for (const chunk of chunks.slice(1, -1)) {
      expect(chunk.startsWith('<pre><code class="language-ts">if (a &lt; ')).toBe(true);
      expect(chunk.endsWith('\n</code></pre>')).toBe(true);
    }
    expect(chunks.at(-1)!.endsWith('</code></pre>\n\nDone.')).toBe(true);
  });

  it('never splits a surrogate pair, and keeps ZWJ emoji and flags whole', () => {
    expect(split('a😀😀😀😀', 4)).toEqual(['a😀', '😀😀', '😀']);
    expect(split('ab🇷🇺🇷🇺', 4)).toEqual(['ab', '🇷🇺', '🇷🇺']);
    // The family is one grapheme of 8 UTF-16 units: it moves whole to the next chunk.
    expect(split('x👨‍👩‍👧y', 8)).toEqual(['x', '👨‍👩‍👧', 'y']);
  });

  it('splits Cyrillic text between words', () => {
    const text = 'Съешь же ещё этих мягких французских булок, да выпей чаю.';
    expect(split(text, 20)).toEqual(['Съешь же ещё этих ', 'мягких французских ', 'булок, да выпей чаю.']);
  });

  it('bounds markup too: entity-heavy text makes smaller chunks', () => {
    const chunks = split('&amp;'.repeat(100), 50);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 100, 100, 100]);
    checkChunks(chunks, 50);
  });

  it('rejects a limit that cannot hold a surrogate pair', () => {
    expect(() => split('abc', 1)).toThrow(RangeError);
  });

  it('keeps every chunk well-formed and within the limit for random markdown (property)', () => {
    const pieces = [
      'word ',
      'слово ',
      'longerwordwithoutspaces',
      '😀',
      '👨‍👩‍👧',
      '🇷🇺',
      ' ',
      '. ',
      '\n',
      '\n\n',
      '**',
      '*',
      '_',
      '~~',
      '||',
      '`',
      '&',
      '<',
      '>',
      '"',
      '[link](https://e.com/?q="x"&y=1)',
      '# ',
      '- ',
      '1. ',
      '> ',
      '```py\n',
      '\n```\n',
      '| a | b |\n|---|---|\n| 1 | 2 |\n',
    ];
    const squeeze = (text: string): string => text.replace(/\s+/g, '');
    const random = seededRandom(2024);
    const failures: unknown[] = [];
    for (let n = 0; n < 300; n++) {
      const markdown = Array.from(
        { length: Math.floor(random() * 120) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      const html = markdownToTelegramHtml(markdown);
      const expected = visibleText(html);
      for (const limit of [24, 64, 300]) {
        // Under the default raw bound a <pre> prefix may leave room for a few characters only;
        // a longer whitespace run then makes a blank chunk, which is dropped: compare without it.
        const chunks = split(html, limit);
        const problems = chunkProblems(chunks, limit);
        if (squeeze(chunks.map(visibleText).join('')) !== squeeze(expected)) problems.push('text differs');
        if (problems.length > 0) failures.push({ markdown, limit, problems });
      }
      for (const limit of [64, 300]) {
        const chunks = split(html, limit, { maxRawLength: Infinity });
        const problems = chunkProblems(chunks, limit, Infinity);
        if (chunks.map(visibleText).join('') !== expected) problems.push('text differs');
        if (problems.length > 0) failures.push({ markdown, limit, unbounded: true, problems });
      }
    }
    expect(failures).toEqual([]);
  });
});
