/**
 * Voice journeys through the real daemon and the fakes: a real OGG/Opus voice note (made by
 * ffmpeg) reaches Gemini byte for byte, is answered in context and remembered as a marker;
 * spoken answers arrive as real OGG/Opus; limits and failures leave nothing half-written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Content, GeminiRequest } from '../fakes/gemini.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { buttonsOf, chatter } from '../helpers/chat-ui.js';
import { replyTo } from '../helpers/gemini-replies.js';
import { waitFor } from '../helpers/ports.js';
import {
  isOggOpus,
  makeVoiceOgg,
  probeAudio,
  speechPcm,
  storedMessages,
  today,
  userWithSettings,
} from '../helpers/media.js';

let h: Harness;
let ogg: Buffer;
let nextChat = 91_000;
const TTS = 'gemini-2.5-flash-preview-tts';

beforeAll(async () => {
  ogg = await makeVoiceOgg(2);
  h = await startHarness({
    env: { BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}', BOTCTL_MAX_VOICE_SECONDS: '60' },
  });
  h.gemini.respond = (req) => {
    if (req.model === TTS) return { audio: speechPcm(1.5) };
    if (mediaPart(req)) return { text: '<transcript>what time is it</transcript>\nIt is noon.' };
    return { text: `Echo: ${req.lastUserText}` };
  };
});
afterAll(async () => h?.close());

type Part = {
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType: string; fileUri: string };
};
function mediaPart(req: GeminiRequest): Part | undefined {
  const last = req.contents.at(-1) as Content | undefined;
  return (last?.parts ?? []).find((p) => 'inlineData' in p || 'fileData' in p) as Part | undefined;
}
const usageOf = async (telegramId: number) => {
  const user = await h.db.repos.users.getByTelegramId(telegramId);
  return h.db.repos.usage.get(user!.id, today());
};

describe('voice in', () => {
  it('sends the downloaded OGG/Opus bytes to Gemini as audio, shows the transcript, stores a marker and an audio row', async () => {
    const chat = nextChat++;
    await userWithSettings(h, chat, { showTranscript: true });
    const c = chatter(h, chat);
    const update = await c.push(h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 2 }));
    const voice = update.message!.voice!;

    const asked = h.gemini.requests.find(
      (r) => r.model !== TTS && mediaPart(r)?.inlineData?.mimeType === 'audio/ogg',
    )!;
    expect(Buffer.from(mediaPart(asked)!.inlineData!.data, 'base64').equals(ogg)).toBe(true);
    expect(JSON.stringify(asked.systemInstruction)).toContain('<transcript>');
    expect(h.telegram.callsOf('downloadFile').length).toBeGreaterThan(0);
    expect(c.lastText()).toBe('🎤 what time is it\n\nIt is noon.');
    expect(h.telegram.drafts(chat).every((d) => !JSON.stringify(d).includes('transcript'))).toBe(true);

    const stored = await storedMessages(h, chat);
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ['user', '[voice 0:02] what time is it'],
      ['model', 'It is noon.'],
    ]);
    const rows = await h.db.raw('select * from audio_files where message_id = ?', [stored[0]!.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      file_id: voice.file_id,
      file_unique_id: voice.file_unique_id,
      duration_sec: 2,
      mime: 'audio/ogg',
      size: ogg.length,
      stored_path: null,
    });
    expect(await usageOf(chat)).toMatchObject({ messages: 1, audioSeconds: 2 });

    await c.say('and tomorrow?');
    const followUp = h.gemini.requests.filter((r) => r.lastUserText === 'and tomorrow?').at(-1)!;
    expect(JSON.stringify(followUp.contents)).toContain('[voice 0:02] what time is it');
  });

  it('takes audio files and video notes too, and sends files over ~15 MB through the Files API', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const big = Buffer.alloc(16 * 1024 * 1024, 7);
    const update = h.telegram.updates.voice({
      chatId: chat,
      bytes: big,
      duration: 30,
      mimeType: 'audio/mpeg',
    });
    const message = update.message as unknown as Record<string, unknown>;
    const voice = message.voice as Record<string, unknown>;
    message.audio = { ...voice, file_name: 'talk.mp3' };
    delete message.voice;
    await c.push(update);
    const uploaded = h.gemini.files.at(-1)!;
    expect(uploaded.bytes.equals(big)).toBe(true);
    const asked = h.gemini.requests.filter((r) => mediaPart(r)?.fileData).at(-1)!;
    expect(mediaPart(asked)!.fileData).toEqual({ mimeType: 'audio/mpeg', fileUri: uploaded.file.uri });
    expect((await storedMessages(h, chat))[0]!.content).toBe('[audio 0:30] what time is it');

    const note = h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 3 });
    const noteMessage = note.message as unknown as Record<string, unknown>;
    const noteVoice = noteMessage.voice as Record<string, unknown>;
    noteMessage.video_note = { ...noteVoice, length: 240 };
    delete noteMessage.voice;
    await c.push(note);
    expect(mediaPart(h.gemini.requests.at(-1)!)!.inlineData!.mimeType).toBe('video/mp4');
    expect((await storedMessages(h, chat)).at(-2)!.content).toBe('[video note 0:03] what time is it');
    expect(await usageOf(chat)).toMatchObject({ messages: 2, audioSeconds: 33 });
  });

  it('refuses an over-size voice note before downloading it, and an over-long one, keeping nothing', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    const big = await c.push(
      h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 5, size: 25 * 1024 * 1024 }),
    );
    expect(c.lastText()).toBe('That file is 25.0 MiB; I can read files up to 20.0 MiB.');
    expect(
      h.telegram.callsOf('getFile').some((call) => call.params.file_id === big.message!.voice!.file_id),
    ).toBe(false);

    await c.push(h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 61 }));
    expect(c.lastText()).toBe('That recording is 1:01 long; I listen to at most 1:00.');
    expect(await storedMessages(h, chat)).toEqual([]);
    expect(await usageOf(chat)).toMatchObject({ messages: 0, audioSeconds: 0 });
  });

  it('answers corrupted audio that Gemini rejects with a clear reply and leaves no row or usage behind', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    replyTo(h.gemini, (req) => mediaPart(req) !== undefined, {
      error: { status: 400, message: 'Unable to process input audio: the data is corrupted.' },
    });
    const update = await c.push(
      h.telegram.updates.voice({ chatId: chat, bytes: Buffer.from('OggS-not-really-audio'), duration: 4 }),
    );
    expect(c.lastText()).toMatch(/couldn't make sense of that file[\s\S]*Nothing was saved/);
    expect(await storedMessages(h, chat)).toEqual([]);
    const unique = update.message!.voice!.file_unique_id;
    expect(await h.db.raw('select * from audio_files where file_unique_id = ?', [unique])).toEqual([]);
    expect(await usageOf(chat)).toMatchObject({ messages: 0, audioSeconds: 0, tokensIn: 0 });
  });

  it('says "send it again" when the download or Gemini fails, keeping nothing', async () => {
    const chat = nextChat++;
    const c = chatter(h, chat);
    h.telegram.failNext('getFile', { errorCode: 500, description: 'Internal Server Error' });
    await c.push(h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 2 }));
    expect(c.lastText()).toBe("I couldn't download that file from Telegram. Please send it again.");
    const audio = (req: GeminiRequest) => mediaPart(req) !== undefined;
    replyTo(
      h.gemini,
      audio,
      { error: { status: 503 } },
      { error: { status: 503 } },
      { error: { status: 503 } },
    );
    await c.push(h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 2 }));
    expect(c.lastText()).toMatch(/temporarily unavailable\. Nothing was saved: please send the file again/);
    expect(await storedMessages(h, chat)).toEqual([]);
    expect(await usageOf(chat)).toMatchObject({ messages: 0, audioSeconds: 0 });
  });

  it("refuses audio over today's audio quota before downloading it", async () => {
    const chat = nextChat++;
    const user = await userWithSettings(h, chat, {});
    await h.db.repos.usage.increment(user.id, today(), { audioSeconds: 1799 });
    const c = chatter(h, chat);
    await c.push(h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 2 }));
    expect(c.lastText()).toMatch(/reached today's limit/);
    expect(await storedMessages(h, chat)).toEqual([]);
  });
});

describe('spoken answers', () => {
  it('answers a voice question with a valid OGG/Opus voice note when voiceReplies is "voice"', async () => {
    const chat = nextChat++;
    await userWithSettings(h, chat, { voiceReplies: 'voice' });
    const c = chatter(h, chat);
    await c.say('typed question');
    // An update is done once its answer is delivered; a spoken copy would come after it. The chat's
    // next update runs only after this one's handler ended, so one voice note in the end is the second's.
    await c.push(h.telegram.updates.voice({ chatId: chat, bytes: ogg, duration: 2 }));
    const sent = await h.telegram.waitForCall('sendVoice', (call) => call.params.chat_id === chat);
    expect(h.telegram.callsOf('sendVoice').filter((call) => call.params.chat_id === chat)).toHaveLength(1);
    const bytes = (sent.params.voice as { bytes: Buffer }).bytes;
    expect(isOggOpus(bytes)).toBe(true);
    const probed = await probeAudio(bytes);
    expect(probed.codec).toBe('opus');
    expect(probed.seconds).toBeGreaterThan(1.2);
    const tts = h.gemini.requests.find((r) => r.model === TTS && r.lastUserText === 'It is noon.')!;
    expect(tts.generationConfig).toMatchObject({
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } },
    });
    expect((await usageOf(chat)).audioSeconds).toBe(4); // 2 s heard + 1.5 s spoken, rounded
  });

  it('speaks a short summary of a long answer instead of reading it all', async () => {
    const chat = nextChat++;
    await userWithSettings(h, chat, { voiceReplies: 'always' });
    const c = chatter(h, chat);
    const long = 'A long explanation sentence. '.repeat(60).trim();
    const forListening = (r: GeminiRequest) =>
      String(JSON.stringify(r.systemInstruction)).includes('for listening');
    const usual = h.gemini.respond!;
    h.gemini.respond = (req) =>
      forListening(req)
        ? { text: 'In short: it is long.' }
        : req.lastUserText === 'explain at length'
          ? { text: long }
          : usual(req);
    try {
      await c.say('explain at length');
      await h.telegram.waitForCall('sendVoice', (call) => call.params.chat_id === chat);
    } finally {
      h.gemini.respond = usual;
    }
    expect(c.lastText()).toBe(long);
    expect(h.gemini.requests.find(forListening)!.lastUserText).toBe(long);
    expect(h.gemini.requests.some((r) => r.model === TTS && r.lastUserText === 'In short: it is long.')).toBe(
      true,
    );
    expect(h.telegram.callsOf('sendVoice').filter((call) => call.params.chat_id === chat)).toHaveLength(1);
  });

  it('speaks a text answer from its speak button, and refuses a forged or foreign one', async () => {
    const chat = nextChat++;
    const other = nextChat++;
    const c = chatter(h, chat);
    await c.say('tell me something');
    const answer = c.keyboardMessage();
    const [speak] = buttonsOf(answer);
    expect(speak).toMatchObject({ text: '🔊 Listen', callback_data: expect.stringMatching(/^tts:\d+$/) });

    const pressed = await c.press('🔊 Listen');
    expect(pressed.notice).toBeUndefined();
    const sent = h.telegram.callsOf('sendVoice').find((call) => call.params.chat_id === chat)!;
    expect(isOggOpus((sent.params.voice as { bytes: Buffer }).bytes)).toBe(true);

    const stranger = chatter(h, other);
    await stranger.say('hello');
    const foreign = await stranger.callback(speak!.callback_data, stranger.keyboardMessage().messageId);
    expect(foreign.notice).toBe('That answer is no longer available.');
    expect((await c.callback('tts:999999999', answer.messageId)).notice).toBe(
      'That answer is no longer available.',
    );
    expect((await c.callback('tts:abc', answer.messageId)).notice).toBe('This button is not valid.');
    expect(h.telegram.callsOf('sendVoice').filter((call) => call.params.chat_id === other)).toHaveLength(0);
  });
});

describe('without a working ffmpeg', () => {
  let bare: Harness;
  let chat = 95_000;
  beforeAll(async () => {
    bare = await startHarness({
      env: { BOTCTL_FFMPEG_PATH: '/nonexistent/ffmpeg', BOTCTL_KEEP_AUDIO: 'true' },
    });
    bare.gemini.respond = (req) =>
      req.model === TTS ? { audio: speechPcm(1) } : { text: `Echo: ${req.lastUserText}` };
  });
  afterAll(async () => bare?.close());

  it('answers in text, logs one warning, shows no speak button, and keeps audio only when told to', async () => {
    const id = chat++;
    await userWithSettings(bare, id, { voiceReplies: 'always' });
    const c = chatter(bare, id);
    await c.say('first');
    await c.say('second');
    expect(c.texts()).toEqual(['Echo: first', 'Echo: second']);
    expect(bare.telegram.callsOf('sendVoice')).toHaveLength(0);
    expect(bare.gemini.requests.filter((r) => r.model === TTS)).toHaveLength(0);
    expect(
      bare.telegram
        .messages(id)
        .filter((m) => m.fromBot)
        .every((m) => buttonsOf(m).length === 0),
    ).toBe(true);
    const warnings = bare.logs.lines().filter((line) => /ffmpeg not found/.test(String(line.msg)));
    expect(warnings).toHaveLength(1);

    const update = await c.push(bare.telegram.updates.voice({ chatId: id, bytes: ogg, duration: 2 }));
    const [row] = await bare.db.raw('select stored_path from audio_files where file_unique_id = ?', [
      update.message!.voice!.file_unique_id,
    ]);
    const storedPath = String(row?.stored_path);
    expect(storedPath.startsWith(bare.dataDir)).toBe(true);
    expect(fs.readFileSync(storedPath).equals(ogg)).toBe(true);
    expect(fs.statSync(storedPath).mode & 0o777).toBe(0o600);
  });
});

describe('when ffmpeg fails to encode', () => {
  let broken: Harness;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-ffmpeg-'));
    const script = path.join(dir, 'ffmpeg');
    fs.writeFileSync(
      script,
      '#!/bin/sh\nfor a in "$@"; do [ "$a" = "-version" ] && { echo "ffmpeg version 9.9-fake"; exit 0; }; done\n' +
        'cat > /dev/null\necho "pipe:0: Invalid data found when processing input" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    broken = await startHarness({ env: { BOTCTL_FFMPEG_PATH: script } });
    broken.gemini.respond = (req) =>
      req.model === TTS ? { audio: speechPcm(1) } : { text: `Echo: ${req.lastUserText}` };
  });
  afterAll(async () => broken?.close());

  it('keeps the text answer, says so when the speak button fails, and counts no audio', async () => {
    const id = 96_000;
    await userWithSettings(broken, id, { voiceReplies: 'always' });
    const c = chatter(broken, id);
    await c.say('hello');
    expect(c.texts()).toEqual(['Echo: hello']);
    // The spoken copy follows the delivered (and done) answer.
    await waitFor(() =>
      expect(broken.logs.text()).toMatch(/ffmpeg could not encode the voice answer: pipe:0: Invalid data/),
    );
    expect(broken.gemini.requests.some((r) => r.model === TTS)).toBe(true);

    const pressed = await c.press('🔊 Listen');
    expect(pressed.notice).toBeUndefined();
    expect(c.lastText()).toBe("I couldn't make a voice version of that answer. Please try again later.");
    expect(broken.telegram.callsOf('sendVoice')).toHaveLength(0);
    const user = await broken.db.repos.users.getByTelegramId(id);
    expect((await broken.db.repos.usage.get(user!.id, today())).audioSeconds).toBe(0);
    // Both failures, the spoken copy and the button's, are counted for today's errors.
    await waitFor(async () => {
      const rows = await broken.db.raw('select day, sum(count) as n from daily_errors group by day');
      expect(rows.map((r) => ({ day: r.day, n: Number(r.n) }))).toEqual([{ day: today(), n: 2 }]);
    });
  });
});
