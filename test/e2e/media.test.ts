/**
 * Photos, pictures and documents through the real daemon and the fakes: the bytes Telegram
 * serves reach Gemini, the picture Gemini draws reaches Telegram, refused files are refused
 * before their download, and nothing of a refused or failed file is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Content, GeminiRequest } from '../fakes/gemini.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter } from '../helpers/chat-ui.js';
import { replyTo } from '../helpers/gemini-replies.js';
import { PNG_1X1, storedMessages, today, userWithSettings } from '../helpers/media.js';

let h: Harness;
let nextChat = 81_000;
const IMAGE_MODEL = 'gemini-2.5-flash-image';
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(2048, 3)]);

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}' } });
  h.gemini.respond = (req) =>
    req.model === IMAGE_MODEL
      ? { text: 'Here it is.', image: PNG_1X1 }
      : {
          text: `Seen ${
            inlineParts(req)
              .map((p) => p.mimeType)
              .join(',') || 'text'
          }: ${req.lastUserText}`,
        };
});
afterAll(async () => h?.close());

function inlineParts(req: GeminiRequest): { mimeType: string; bytes: Buffer }[] {
  const last = req.contents.at(-1) as Content | undefined;
  return (last?.parts ?? [])
    .filter((p) => 'inlineData' in p)
    .map((p) => {
      const data = p.inlineData as { mimeType: string; data: string };
      return { mimeType: data.mimeType, bytes: Buffer.from(data.data, 'base64') };
    });
}
const lastAsked = () => h.gemini.requests.filter((r) => r.method === 'streamGenerateContent').at(-1)!;

/**
 * Model requests since `before`, leaving out title requests: an earlier test's conversation may
 * still be getting its title in the background, and that request is not the one under test.
 */
const askedSince = (before: number) =>
  h.gemini.requests.slice(before).filter((r) => !JSON.stringify(r.contents).includes('Write a short title'));

describe('photos in', () => {
  it('sends the photo bytes to Gemini with the caption and the conversation, and remembers a marker', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    await c.say('I collect teapots.');
    const update = await c.push(
      h.telegram.updates.photo({ chatId: chat, bytes: JPEG, caption: 'Is this one rare?' }),
    );
    const asked = lastAsked();
    expect(inlineParts(asked)).toEqual([{ mimeType: 'image/jpeg', bytes: JPEG }]);
    expect(asked.lastUserText).toBe('Is this one rare?');
    expect(JSON.stringify(asked.contents)).toContain('I collect teapots.');
    const largest = update.message!.photo!.at(-1)!;
    expect(h.telegram.callsOf('getFile').at(-1)!.params.file_id).toBe(largest.file_id);
    expect(c.lastText()).toBe('Seen image/jpeg: Is this one rare?');
    expect((await storedMessages(h, chat)).map((m) => m.content).slice(-2)).toEqual([
      '[photo] Is this one rare?',
      'Seen image/jpeg: Is this one rare?',
    ]);
  });

  it('asks about an earlier photo again when the user replies to it with a question', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const photo = await c.push(h.telegram.updates.photo({ chatId: chat, bytes: JPEG }));
    expect(lastAsked().lastUserText).toMatch(/without a caption/);
    await c.push(
      h.telegram.updates.text({
        chatId: chat,
        text: 'What colour is it?',
        replyTo: photo.message!.message_id,
      }),
    );
    expect(inlineParts(lastAsked())).toEqual([{ mimeType: 'image/jpeg', bytes: JPEG }]);
    expect(lastAsked().lastUserText).toBe('What colour is it?');
    expect((await storedMessages(h, chat)).at(-2)!.content).toBe('[photo] What colour is it?');
  });

  it('takes the largest photo size under the download limit', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const update = await c.push(
      h.telegram.updates.photo({ chatId: chat, bytes: JPEG, size: 25 * 1024 * 1024 }),
    );
    const sizes = update.message!.photo!;
    expect(h.telegram.callsOf('getFile').at(-1)!.params.file_id).toBe(sizes[1]!.file_id);
    expect(h.telegram.callsOf('getFile').some((call) => call.params.file_id === sizes[2]!.file_id)).toBe(
      false,
    );
    expect(c.lastText()).toMatch(/^Seen image\/jpeg/);
  });

  it('ignores photos in groups unless the bot is mentioned', async () => {
    const chat = -nextChat++;
    const before = h.gemini.requests.length;
    const c = chatter(h, chat);
    await c.push(
      h.telegram.updates.photo({
        chatId: chat,
        chatType: 'supergroup',
        userId: 4242,
        bytes: JPEG,
        caption: 'look',
      }),
    );
    expect(askedSince(before)).toEqual([]);
    expect(c.texts()).toEqual([]);
  });
});

describe('pictures out', () => {
  it('/image draws with the image model and sends the PNG it returned', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    await c.command('image', 'a lighthouse at dawn');
    const request = h.gemini.requests.filter((r) => r.model === IMAGE_MODEL).at(-1)!;
    expect(request.lastUserText).toBe('a lighthouse at dawn');
    expect(request.generationConfig).toMatchObject({ responseModalities: ['TEXT', 'IMAGE'] });
    const sent = h.telegram.callsOf('sendPhoto').find((call) => call.params.chat_id === chat)!;
    expect((sent.params.photo as { bytes: Buffer }).bytes.equals(PNG_1X1)).toBe(true);
    expect(sent.params.caption).toBe('Here it is.');
    const user = await h.db.repos.users.getByTelegramId(chat);
    expect((await h.db.repos.usage.get(user!.id, today())).images).toBe(1);
  });

  it('/image as a reply to a photo edits that photo', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const photo = await c.push(h.telegram.updates.photo({ chatId: chat, bytes: JPEG, caption: 'my car' }));
    await c.push(
      h.telegram.updates.command({
        chatId: chat,
        command: 'image',
        args: 'make it blue',
        replyTo: photo.message!.message_id,
      }),
    );
    const request = h.gemini.requests.filter((r) => r.model === IMAGE_MODEL).at(-1)!;
    expect(inlineParts(request)).toEqual([{ mimeType: 'image/jpeg', bytes: JPEG }]);
    expect(request.lastUserText).toBe('make it blue');
    expect(h.telegram.callsOf('sendPhoto').filter((call) => call.params.chat_id === chat)).toHaveLength(1);
  });

  it('explains usage, a used-up image quota and a refusal without a picture, counting nothing', async () => {
    const chat = nextChat++;
    const user = await userWithSettings(h, chat, {});
    const c = chatter(h, chat);
    await c.command('image');
    expect(c.lastText()).toMatch(/^Describe the picture after the command/);

    replyTo(h.gemini, 'something forbidden', { text: 'I cannot draw that.' });
    await c.command('image', 'something forbidden');
    expect(c.lastText()).toBe('The image model answered without a picture: I cannot draw that.');
    expect((await h.db.repos.usage.get(user.id, today())).images).toBe(0);

    await h.db.repos.usage.increment(user.id, today(), { images: 10 });
    const before = h.gemini.requests.length;
    await c.command('image', 'one more');
    expect(c.lastText()).toMatch(/reached today's limit/);
    expect(askedSince(before)).toEqual([]);
    expect(h.telegram.callsOf('sendPhoto').filter((call) => call.params.chat_id === chat)).toHaveLength(0);
  });
});

describe('documents', () => {
  it('reads a PDF as inline data and a CSV as text', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    await c.push(
      h.telegram.updates.document({ chatId: chat, bytes: pdf, fileName: 'report.pdf', caption: 'Summarise' }),
    );
    expect(inlineParts(lastAsked())).toEqual([{ mimeType: 'application/pdf', bytes: pdf }]);
    expect((await storedMessages(h, chat)).at(-2)!.content).toBe('[document report.pdf] Summarise');

    const csv = Buffer.from('city,population\nOslo,709000\n');
    await c.push(
      h.telegram.updates.document({ chatId: chat, bytes: csv, fileName: 'cities.csv', mimeType: 'text/csv' }),
    );
    const asked = lastAsked();
    expect(inlineParts(asked)).toEqual([]);
    expect(JSON.stringify(asked.contents.at(-1))).toContain('Oslo,709000');
    expect(c.lastText()).toMatch(/^Seen text:/);
  });

  it('refuses unsupported types, binary "text" and over-size files before or without keeping anything', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const before = h.gemini.requests.length;
    await c.push(
      h.telegram.updates.document({
        chatId: chat,
        bytes: Buffer.from('PK\u0003\u0004'),
        fileName: 'a.zip',
        mimeType: 'application/zip',
      }),
    );
    expect(c.lastText()).toMatch(/^I can't read \.zip files\. I can read PDF, plain text, Markdown, CSV/);

    const big = await c.push(
      h.telegram.updates.document({ chatId: chat, fileName: 'huge.pdf', size: 25 * 1024 * 1024 }),
    );
    expect(c.lastText()).toBe('That file is 25.0 MiB; I can read files up to 20.0 MiB.');
    expect(
      h.telegram.callsOf('getFile').some((call) => call.params.file_id === big.message!.document!.file_id),
    ).toBe(false);

    await c.push(
      h.telegram.updates.document({
        chatId: chat,
        bytes: Buffer.from([0xff, 0xfe, 0x00, 0x81]),
        fileName: 'data.txt',
        mimeType: 'text/plain',
      }),
    );
    expect(c.lastText()).toMatch(/^I can't read data\.txt files/);
    expect(askedSince(before)).toEqual([]);
    expect(await storedMessages(h, chat)).toEqual([]);
  });
});
