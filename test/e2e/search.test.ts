/**
 * Google Search grounding through the real daemon against the fakes: the `googleSearch` tool in
 * the request, the sources from `groundingMetadata` under the answer (numbered, each link once, at
 * most 5, HTML-safe), `/sources`, and the user's switch in /settings when the operator says auto;
 * the daily quota of grounded answers (after it, answers without the tool and a note), counted in
 * `botctl stats`; /sources in the command menu only when answers may search.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Stats from '../../src/commands/stats.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter } from '../helpers/chat-ui.js';
import { waitFor } from '../helpers/ports.js';
import { runInProcess } from '../helpers/run-command.js';

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

/** The commands of the default (English) "/" menu the daemon set at start. */
const menuOf = (h: Harness) =>
  (
    h.telegram.callsOf('setMyCommands').find((call) => call.params.language_code === undefined)!.params
      .commands as { command: string }[]
  ).map((c) => c.command);

describe('search grounding, operator: always', () => {
  let h: Harness;
  beforeAll(async () => {
    // Two grounded answers a day for users: the quota under test (the shipped default is 20).
    h = await startHarness({
      env: { BOTCTL_SEARCH_GROUNDING: 'always', BOTCTL_QUOTAS: '{"user":{"searchesPerDay":2}}' },
    });
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

  it('grounds two answers a day, then answers without the search and says so; stats count them', async () => {
    const c = chatter(h, 17_510);
    // The model searches whenever the tool is there (the fake leaves the metadata out without it).
    h.gemini.respond = (req) =>
      req.lastUserText === 'no search needed'
        ? { text: 'From memory.' }
        : { text: `Fresh: ${req.lastUserText}`, grounding: { sources: [sources[1]!] } };
    const tools = (text: string) => h.gemini.requests.findLast((r) => r.lastUserText === text)!.tools;
    // Offered the tool, the model did not search: not a grounded answer, not counted.
    await c.say('no search needed');
    expect(tools('no search needed')).toEqual(SEARCH_TOOL);
    expect(c.lastText()).toBe('From memory.');
    for (const question of ['one', 'two']) {
      await c.say(question);
      expect(tools(question)).toEqual(SEARCH_TOOL);
      expect(c.lastText()).toBe(`Fresh: ${question}\n\nSources\n1. Tom <&> Jerry (again)`);
    }
    await c.say('three');
    expect(tools('three')).toBeUndefined();
    expect(c.lastText()).toBe(
      "Fresh: three\n\nToday's web searches are used up: this answer is from what the model already knows.",
    );
    const user = (await h.db.repos.users.getByTelegramId(17_510))!;
    const day = new Date().toISOString().slice(0, 10);
    expect(await h.db.repos.usage.get(user.id, day)).toMatchObject({ messages: 4, searches: 2 });
    await c.command('usage');
    expect(c.lastText()).toContain('Web searches: 2 of 2');

    // botctl stats beside the running daemon: the grounded answers, and their price in the cost.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-search-'));
    vi.stubEnv('BOTCTL_DATABASE_URL', h.db.url);
    try {
      const json = await runInProcess(Stats, ['--since', day, '--json', '--data-dir', dataDir]);
      expect(json.exitCode, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout).result;
      expect(report.searches).toBeGreaterThanOrEqual(2);
      expect(report.cost.searches).toEqual({
        count: report.searches,
        perThousand: 35,
        cost: Math.round(report.searches * 35) / 1000,
      });
      const text = await runInProcess(Stats, ['--since', day, '--data-dir', dataDir]);
      expect(text.stdout).toContain(`Searches    ${report.searches} answers grounded in Google Search`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('has /sources in the command menu', () => {
    expect(menuOf(h)).toContain('sources');
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

  it('leaves /sources out of the command menu, in every language', () => {
    const menus = h.telegram.callsOf('setMyCommands');
    expect(menus.length).toBeGreaterThan(1);
    for (const menu of menus) {
      const commands = (menu.params.commands as { command: string }[]).map((c) => c.command);
      expect(commands).toContain('history');
      expect(commands).not.toContain('sources');
    }
  });
});
