/**
 * Links read: a question with URLs asks Gemini's URL context tool to read them (the bot itself
 * fetches nothing); with a model that has no such tool the user is told the links were not opened.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter } from '../helpers/chat-ui.js';

const URL_TOOL = [{ urlContext: {} }];

describe('links read, with a model that has URL context (the default model)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('asks with the urlContext tool only when the question has a link, and fetches nothing itself', async () => {
    const c = chatter(h, 17_600);
    // A page on this machine, as an SSRF attempt would name one: nothing of the bot may ask for it.
    let hits = 0;
    const server = http.createServer((_req, res) => (hits++, res.end('secret')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret`;
    const question = `Summarise ${local} and https://example.org/post.`;
    h.gemini.respond = (req) =>
      req.lastUserText === question
        ? {
            text: 'The post says hello.',
            urlContext: [
              { url: local, status: 'URL_RETRIEVAL_STATUS_ERROR' },
              { url: 'https://example.org/post', status: 'URL_RETRIEVAL_STATUS_SUCCESS' },
            ],
          }
        : { text: 'plain' };
    await c.say(question);
    // The link URL context could not open is named under the answer, in one line.
    expect(c.lastText()).toBe(`The post says hello.\n\nCould not open: ${local}`);
    expect(h.gemini.requests.findLast((r) => r.lastUserText === question)!.tools).toEqual(URL_TOOL);
    await c.say('no links here');
    expect(h.gemini.requests.findLast((r) => r.lastUserText === 'no links here')!.tools).toBeUndefined();
    expect(hits).toBe(0);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('links read, with a model without URL context', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { BOTCTL_MODEL: 'gemini-2.0-flash' } });
  });
  afterAll(async () => h?.close());

  it('says it cannot open links, in the user language, and sends no tool', async () => {
    const c = chatter(h, 17_601, 'ru');
    h.gemini.respond = () => ({ text: 'Ответ.' });
    await c.say('Что на https://example.org/news?');
    expect(h.gemini.requests.findLast((r) => r.lastUserText.includes('example.org'))!.tools).toBeUndefined();
    expect(c.lastText()).toBe(
      'Ответ.\n\nЯ не смог открыть ссылки из вашего сообщения: эта модель не читает веб-страницы, поэтому ответ основан на том, что она уже знает.',
    );
  });
});
