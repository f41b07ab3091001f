/**
 * Google Search grounding through the real daemon against the fakes: the `googleSearch` tool in
 * the request, the sources from `groundingMetadata` under the answer (numbered, each link once, at
 * most 5, HTML-safe), `/sources`, and the user's switch in /settings when the operator says auto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter } from '../helpers/chat-ui.js';
import { waitFor } from '../helpers/ports.js';

const SEARCH_TOOL = [{ googleSearch: {} }];

const sources = [
  { uri: 'https://example.org/a', title: 'Tom <&> Jerry' },
  { uri: 'https://example.org/a', title: 'Tom <&> Jerry (again)' },
  { uri: 'https://example.org/b?x=1&y="2"', title: 'B' },
  { uri: 'https://example.org/c', title: '' },
  { uri: 'javascript:alert(1)', title: 'not a link' },
  { uri: 'https://example.org/d', title: 'D' },
  { uri: 'https://example.org/e', title: 'E' },
  { uri: 'https://example.org/f', title: 'F (sixth distinct)' },
];

describe('search grounding, operator: always', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { BOTCTL_SEARCH_GROUNDING: 'always' } });
  });
  afterAll(async () => h?.close());

  it('asks with the search tool and shows the sources under the answer, escaped; /sources repeats them', async () => {
    const c = chatter(h, 17_500);
    h.gemini.respond = (req) =>
      req.lastUserText === 'Who won?'
        ? { text: 'The **blue** team.', grounding: { sources } }
        : { text: 'ok' };
    await c.say('Who won?');
    const request = h.gemini.requests.findLast((r) => r.lastUserText === 'Who won?')!;
    expect(request.tools).toEqual(SEARCH_TOOL);
    const expected = [
      'The blue team.',
      '',
      'Sources',
      '1. Tom <&> Jerry',
      '2. B',
      '3. example.org',
      '4. D',
      '5. E',
    ].join('\n');
    expect(c.lastText()).toBe(expected);
    const sent = h.telegram.callsOf('sendMessage').findLast((call) => call.params.chat_id === 17_500)!;
    expect(String(sent.params.text)).toContain(
      '<a href="https://example.org/b?x=1&amp;y=&quot;2&quot;">B</a>',
    );
    expect(String(sent.params.text)).toContain('>Tom &lt;&amp;&gt; Jerry</a>');

    await c.command('sources');
    expect(c.lastText()).toBe(expected.split('\n').slice(2).join('\n'));
  });

  it('/sources after an answer that did not search says so', async () => {
    const c = chatter(h, 17_501);
    h.gemini.respond = () => ({ text: 'Just chatting.' });
    await c.say('hello');
    await c.command('sources');
    expect(c.lastText()).toBe('The last answer has no sources: it was not grounded in a web search.');
  });
});

describe('search grounding, operator: auto', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { BOTCTL_SEARCH_GROUNDING: 'auto' } });
  });
  afterAll(async () => h?.close());

  it('searches by default and stops once the user switches it off in /settings', async () => {
    const c = chatter(h, 17_502, 'ru');
    h.gemini.respond = () => ({ text: 'ok' });
    await c.say('first');
    expect(h.gemini.requests.findLast((r) => r.lastUserText === 'first')!.tools).toEqual(SEARCH_TOOL);
    await c.command('settings');
    expect(c.lastText()).toContain('Поиск в сети с источниками: вкл');
    await c.press(/^🔎/);
    await waitFor(() => expect(c.lastText()).toContain('Поиск в сети с источниками: выкл'));
    await c.say('second');
    expect(h.gemini.requests.findLast((r) => r.lastUserText === 'second')!.tools).toBeUndefined();
  });
});

describe('search grounding, operator: off (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('never sends the tool and offers no switch', async () => {
    const c = chatter(h, 17_503);
    h.gemini.respond = () => ({ text: 'ok' });
    await c.say('plain');
    expect(h.gemini.requests.findLast((r) => r.lastUserText === 'plain')!.tools).toBeUndefined();
    await c.command('settings');
    expect(c.lastText()).not.toContain('Web search');
  });
});
