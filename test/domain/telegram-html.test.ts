import { describe, expect, it } from 'vitest';
import { markdownToTelegramHtml as toHtml, stripToPlainText } from '../../src/domain/telegram-html.js';
import { htmlProblems, seededRandom, visibleText } from './telegram-html-check.js';

describe('markdownToTelegramHtml: inline', () => {
  it.each([
    ['**bold** and __bold__', '<b>bold</b> and <b>bold</b>'],
    ['*italic* and _italic_', '<i>italic</i> and <i>italic</i>'],
    ['~~gone~~ and ||secret||', '<s>gone</s> and <tg-spoiler>secret</tg-spoiler>'],
    ['**bold with *italic* inside**', '<b>bold with <i>italic</i> inside</b>'],
    ['***both***', '<i><b>both</b></i>'],
    ['*a **b** c*', '<i>a <b>b</b> c</i>'],
    ['**[link](https://e.com)**', '<b><a href="https://e.com">link</a></b>'],
  ])('%s', (markdown, html) => {
    expect(toHtml(markdown)).toBe(html);
  });

  it('leaves arithmetic, snake_case and stray markers alone', () => {
    expect(toHtml('2 * 3 * 4 = 24')).toBe('2 * 3 * 4 = 24');
    expect(toHtml('call snake_case_name or my_var_2')).toBe('call snake_case_name or my_var_2');
    expect(toHtml('about ~5 min | a | b')).toBe('about ~5 min | a | b');
    expect(toHtml('a || b')).toBe('a || b');
  });

  it('emits unbalanced markers literally', () => {
    expect(toHtml('**bold')).toBe('**bold');
    expect(toHtml('*a **b*')).toBe('*a *<i>b</i>');
    expect(toHtml('**foo*bar**')).toBe('<b>foo*bar</b>');
    expect(toHtml('*foo**bar*')).toBe('<i>foo**bar</i>');
    expect(toHtml('~~a **b~~ c**')).toBe('<s>a **b</s> c**');
    expect(toHtml('`open code')).toBe('`open code');
  });

  it('escapes code spans and keeps formatting out of them', () => {
    expect(toHtml('Use `<div class="x">` & `a*b*c`')).toBe(
      'Use <code>&lt;div class="x"&gt;</code> &amp; <code>a*b*c</code>',
    );
    expect(toHtml('``a ` b``')).toBe('<code>a ` b</code>');
    expect(toHtml('**`x < y`**')).toBe('<b><code>x &lt; y</code></b>');
  });

  it('escapes &, < and > in plain text', () => {
    expect(toHtml('if a < b && c > d then <script>')).toBe(
      'if a &lt; b &amp;&amp; c &gt; d then &lt;script&gt;',
    );
    expect(toHtml('already &amp; escaped')).toBe('already &amp;amp; escaped');
  });

  it('honours backslash escapes', () => {
    expect(toHtml('\\*not italic\\* and 5\\_000')).toBe('*not italic* and 5_000');
  });

  it('links only safe schemes and escapes quotes in href', () => {
    expect(toHtml('[say "hi" & <go>](https://e.com/?q="a"&b=1)')).toBe(
      '<a href="https://e.com/?q=&quot;a&quot;&amp;b=1">say "hi" &amp; &lt;go&gt;</a>',
    );
    expect(toHtml('[x](javascript:alert(1)) [y](/relative) [z](file:///etc/passwd)')).toBe('x y z');
    expect(toHtml('[me](tg://user?id=1) [mail](mailto:a@b.c)')).toBe(
      '<a href="tg://user?id=1">me</a> <a href="mailto:a@b.c">mail</a>',
    );
    expect(toHtml('[wiki](https://en.wikipedia.org/wiki/Foo_(bar) "title")')).toBe(
      '<a href="https://en.wikipedia.org/wiki/Foo_(bar)">wiki</a>',
    );
    expect(toHtml('<https://e.com/a_b>')).toBe('<a href="https://e.com/a_b">https://e.com/a_b</a>');
  });

  it('never nests links and renders images as links', () => {
    expect(toHtml('[a [b](https://b.c) d](https://e.com)')).toBe(
      '<a href="https://e.com">a [b](https://b.c) d</a>',
    );
    expect(toHtml('![chart](https://e.com/c.png)')).toBe('<a href="https://e.com/c.png">chart</a>');
    expect(toHtml('[](https://e.com)')).toBe('<a href="https://e.com">https://e.com</a>');
    expect(toHtml('[not a link] (x)')).toBe('[not a link] (x)');
  });

  it('handles Cyrillic and emoji next to markers', () => {
    expect(toHtml('Привет, **мир**! _курсив_ 😀**жирный**😀')).toBe(
      'Привет, <b>мир</b>! <i>курсив</i> 😀<b>жирный</b>😀',
    );
  });
});

describe('markdownToTelegramHtml: blocks', () => {
  it('renders fenced code with its language, escaped and unformatted', () => {
    const md = 'Code:\n```python\nif a < b & c:\n    print("**hi**")\n```\nDone';
    expect(toHtml(md)).toBe(
      'Code:\n<pre><code class="language-python">if a &lt; b &amp; c:\n    print("**hi**")</code></pre>\nDone',
    );
    expect(toHtml('~~~\nplain <x>\n~~~')).toBe('<pre>plain &lt;x&gt;</pre>');
    expect(toHtml('```c++\nx\n```')).toBe('<pre><code class="language-c++">x</code></pre>');
  });

  it('keeps an unclosed fence as literal text', () => {
    expect(toHtml('```js\nconst a = 1 < 2;')).toBe('```js\nconst a = 1 &lt; 2;');
  });

  it('renders headings bold, without nested bold', () => {
    expect(toHtml('# Title\n## Sub **bold** *it* ##\nText')).toBe(
      '<b>Title</b>\n<b>Sub bold <i>it</i></b>\nText',
    );
    expect(toHtml('#hashtag')).toBe('#hashtag');
  });

  it('renders bullet, nested, numbered and task lists', () => {
    const md =
      '- one\n- **two**\n    - nested\n        - deeper\n1. first\n2) second\n- [ ] todo\n- [x] done';
    expect(toHtml(md)).toBe(
      '• one\n• <b>two</b>\n  ◦ nested\n    ▪ deeper\n1. first\n2. second\n☐ todo\n☑ done',
    );
    expect(toHtml('* star item\n+ plus item')).toBe('• star item\n• plus item');
  });

  it('keeps a list item continuation line with its item', () => {
    expect(toHtml('1. Step one\n   more *detail*\n2. Step two')).toBe(
      '1. Step one\n   more <i>detail</i>\n2. Step two',
    );
  });

  it('renders blockquotes and flattens nested ones', () => {
    expect(toHtml('> quoted **text**\n> > inner\n\nafter')).toBe(
      '<blockquote>quoted <b>text</b>\ninner</blockquote>\n\nafter',
    );
  });

  it('renders a table as an aligned <pre> block of plain cells', () => {
    const md = '| Name | Qty |\n|:-----|----:|\n| **Apple** | 3 |\n| Kiwi & <Co> | 12 |';
    expect(toHtml(md)).toBe(
      '<pre>Name        | Qty\n------------+----\nApple       |   3\nKiwi &amp; &lt;Co&gt; |  12</pre>',
    );
  });

  it('keeps paragraphs and collapses runs of blank lines', () => {
    expect(toHtml('one\ntwo\n\n\n\nthree\r\n---\nfour')).toBe('one\ntwo\n\nthree\n———\nfour');
  });
});

describe('stripToPlainText', () => {
  it('keeps the layout and drops the markup', () => {
    const md = '# Title\n**bold** [site](https://e.com) `a<b`\n- item\n```js\nx && y\n```';
    expect(stripToPlainText(md)).toBe('Title\nbold site (https://e.com) a<b\n• item\nx && y');
  });
});

describe('markdownToTelegramHtml: property', () => {
  const pieces = [
    'word',
    ' ',
    ' ',
    'Привет',
    '😀',
    '👨‍👩‍👧',
    '**',
    '*',
    '_',
    '__',
    '~~',
    '||',
    '`',
    '```',
    '[',
    ']',
    '(',
    ')',
    '](https://e.com/?a="1"&b=2)',
    '<b>',
    '&amp;',
    '&',
    '<',
    '>',
    '"',
    '\\',
    '\n',
    '\n\n',
    '# ',
    '- ',
    '1. ',
    '> ',
    '| a | b |\n|---|---|\n',
    '```js\n',
    '\n```\n',
    'snake_case',
    '2 * 3',
  ];
  const randomMarkdown = (random: () => number, from: string[]): string =>
    Array.from({ length: Math.floor(random() * 60) }, () => from[Math.floor(random() * from.length)]).join(
      '',
    );

  it('always produces well-formed Telegram HTML', () => {
    const random = seededRandom(42);
    for (let n = 0; n < 1000; n++) {
      const md = randomMarkdown(random, pieces);
      expect({ md, problems: htmlProblems(toHtml(md)) }).toEqual({ md, problems: [] });
    }
  });

  it('shows the same text as plain text when there are no links', () => {
    const random = seededRandom(7);
    const linkless = pieces.filter((p) => !p.includes('https'));
    for (let n = 0; n < 500; n++) {
      const md = randomMarkdown(random, linkless);
      expect({ md, plain: stripToPlainText(md) }).toEqual({ md, plain: visibleText(toHtml(md)) });
    }
  });
});
