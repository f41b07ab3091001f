// The fake's parse_mode handling, checked directly: what the user would see, and Telegram's errors.
import { describe, expect, it } from 'vitest';
import { BotApiError } from '../fakes/telegram/errors.js';
import { formatCaption, formatMessageText } from '../fakes/telegram/format/index.js';

const fails = (text: string, mode: string): string => {
  try {
    formatMessageText(text, mode, undefined);
  } catch (error) {
    if (error instanceof BotApiError) return error.description;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
};

describe('HTML parse_mode', () => {
  it('turns tags into entities and decodes entities', () => {
    const out = formatMessageText(
      '<pre><code class="language-ts">a &lt; b</code></pre>\n<blockquote expandable>q</blockquote> <tg-spoiler>s</tg-spoiler> &#128512;',
      'HTML',
      undefined,
    );
    expect(out.text).toBe('a < b\nq s 😀');
    expect(out.entities).toEqual([
      { type: 'pre', offset: 0, length: 5, language: 'ts' },
      { type: 'expandable_blockquote', offset: 6, length: 1 },
      { type: 'spoiler', offset: 8, length: 1 },
    ]);
  });

  it('reports the errors Telegram reports', () => {
    expect(fails('<b>open', 'HTML')).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
    expect(fails('x</b>', 'HTML')).toBe(
      "Bad Request: can't parse entities: Unexpected end tag at byte offset 1",
    );
    expect(fails('<span>x</span>', 'HTML')).toContain('Tag "span" must have class "tg-spoiler"');
    expect(fails('é <p>', 'HTML')).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 3',
    );
  });

  it('trims whitespace and refuses broken UTF-16', () => {
    expect(formatMessageText('  <b> hi </b>\n', 'HTML', undefined)).toEqual({
      text: 'hi',
      entities: [{ type: 'bold', offset: 0, length: 2 }],
    });
    expect(fails('split 😀'.slice(0, 7), 'HTML')).toBe('Bad Request: strings must be encoded in UTF-8');
    expect(() => formatCaption('x'.repeat(1025), undefined, undefined)).toThrow(
      'message caption is too long',
    );
  });
});

describe('MarkdownV2 and Markdown parse_mode', () => {
  it('parses nesting, escapes, links and code blocks', () => {
    const out = formatMessageText(
      '*bold _both_* \\. [site](https://x.dev/a\\)b)\n```py\nx = 1\n```',
      'MarkdownV2',
      undefined,
    );
    // The code block's trailing newline goes with Telegram's trimming.
    expect(out.text).toBe('bold both . site\nx = 1');
    expect(out.entities).toEqual([
      { type: 'bold', offset: 0, length: 9 },
      { type: 'italic', offset: 5, length: 4 },
      { type: 'text_link', offset: 12, length: 4, url: 'https://x.dev/a)b' },
      { type: 'pre', offset: 17, length: 5, language: 'py' },
    ]);
  });

  it('rejects unescaped reserved characters and unclosed entities', () => {
    expect(fails('1-2', 'MarkdownV2')).toBe(
      "Bad Request: can't parse entities: Character '-' is reserved and must be escaped with the preceding '\\'",
    );
    expect(fails('*open', 'MarkdownV2')).toBe(
      "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0",
    );
    expect(fails('a *b', 'Markdown')).toBe(
      "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 2",
    );
    expect(formatMessageText('1-2. *ok*', 'Markdown', undefined).text).toBe('1-2. ok');
  });
});
