/**
 * Settings journeys through the real daemon and the fakes, in English and in Russian: every
 * /settings menu path pressed with the callback data the bot sent, the commands beside it,
 * what reaches Gemini afterwards, and that it all survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from 'grammy/types';
import type { GeminiRequest } from '../fakes/gemini.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { buttonsOf, chatter, type Chatter } from '../helpers/chat-ui.js';

let h: Harness;
let nextChat = 71_000;

beforeAll(async () => {
  h = await startHarness({
    env: {
      BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}',
      BOTCTL_MODELS: 'gemini-2.5-pro',
      BOTCTL_PERSONAS: '{"pirate":"You are a pirate captain. Answer like one."}',
    },
  });
});
afterAll(async () => h?.close());

const L = {
  en: {
    saved: 'Saved.',
    coder: 'Programmer',
    brief: 'Brief',
    always: 'Always',
    russian: 'Русский',
    outdated: /out of date/,
    invalid: 'That choice is not available.',
    stale: /no longer valid/,
    summary: /Settings[\s\S]*Persona: Assistant/,
    atSea: /at sea/,
  },
  ru: {
    saved: 'Сохранено.',
    coder: 'Программист',
    brief: 'Кратко',
    always: 'Всегда',
    russian: 'Русский',
    outdated: /устарело/,
    invalid: 'Этот вариант недоступен.',
    stale: /больше не действует/,
    summary: /Настройки[\s\S]*Персона: Ассистент/,
    atSea: /в море/,
  },
} as const;

const systemText = (r: GeminiRequest) => (r.systemInstruction?.parts ?? []).map((p) => p.text ?? '').join('');
function askedWith(text: string): GeminiRequest {
  const request = h.gemini.requests
    .filter((r) => r.method === 'streamGenerateContent' && r.lastUserText === text)
    .at(-1);
  if (!request) throw new Error(`Gemini was not asked "${text}"`);
  return request;
}
const userOf = async (c: Chatter) => (await h.db.repos.users.getByTelegramId(c.chatId))!;

/** A message carrying only a location, as the "share location" keyboard button sends it. */
function locationUpdate(c: Chatter, lang: string, latitude: number, longitude: number) {
  const update = h.telegram.updates.text({ chatId: c.chatId, text: '', languageCode: lang });
  const message = update.message as unknown as Record<string, unknown>;
  delete message.text;
  message.location = { latitude, longitude } satisfies Message['location'];
  return update;
}

/** /timezone, then the location button; the bot answers with a location-request keyboard. */
async function askForLocation(c: Chatter) {
  await c.command('timezone');
  await c.press(/^📍/);
  const ask = h.telegram
    .callsOf('sendMessage')
    .filter((call) => call.params.chat_id === c.chatId)
    .at(-1)!;
  expect(JSON.stringify(ask.params.reply_markup)).toContain('request_location');
}

describe.each(['en', 'ru'] as const)('settings menu (%s)', (lang) => {
  const t = L[lang];

  it('changes persona, detail, spoken answers, model and the toggles through the menu', async () => {
    const c = chatter(h, nextChat++, lang);
    await c.command('settings');
    expect(c.lastText()).toMatch(t.summary);

    await c.press(/^🎭/);
    expect(buttonsOf(c.keyboardMessage()).map((b) => b.text)).toEqual(
      expect.arrayContaining([`✓ ${lang === 'en' ? 'Assistant' : 'Ассистент'}`, 'pirate']),
    );
    expect((await c.press(t.coder)).notice).toBe(t.saved);
    expect(c.lastText()).toContain(t.coder);

    await c.press(/^📏/);
    expect((await c.press(t.brief)).notice).toBe(t.saved);
    await c.press(/^🔊/);
    expect((await c.press(t.always)).notice).toBe(t.saved);
    await c.press(/^🤖/);
    expect((await c.press('gemini-2.5-pro')).notice).toBe(t.saved);
    await c.press(/^📝/);
    await c.press(/^💡/);

    const user = await userOf(c);
    expect(user.settings).toMatchObject({
      persona: 'coder',
      detailLevel: 'brief',
      voiceReplies: 'always',
      model: 'gemini-2.5-pro',
      showTranscript: true,
      suggestions: true,
    });

    await c.say('how do I reverse a list?');
    const request = askedWith('how do I reverse a list?');
    expect(request.model).toBe('gemini-2.5-pro');
    expect(systemText(request)).toContain('senior software engineer');
    expect(systemText(request)).toContain('Be brief');
    expect(request.generationConfig?.maxOutputTokens).toBe(2048);

    // Back to the default model and an operator persona, then close the menu.
    await c.command('settings');
    await c.press(/^🤖/);
    await c.press(/^(default|по умолчанию)/);
    await c.press(/^🎭/);
    await c.press('pirate');
    expect((await userOf(c)).settings).toMatchObject({ model: null, persona: 'pirate' });
    await c.say('ahoy?');
    expect(askedWith('ahoy?').model).toBe('gemini-flash-latest');
    expect(systemText(askedWith('ahoy?'))).toContain('pirate captain');
    await c.press(/^✖️/);
    // The settings message itself (answers below it carry their own speak button).
    expect(
      buttonsOf(
        h.telegram
          .messages(c.chatId)
          .filter((m) => m.fromBot && /^⚙️/.test((m.message as { text?: string }).text ?? ''))
          .at(-1)!,
      ),
    ).toHaveLength(0);
  });

  it('explains the own-prompt button and goes back from a submenu', async () => {
    const c = chatter(h, nextChat++, lang);
    await c.command('settings');
    const { notice } = await c.press(/^✍️/);
    expect(notice).toContain('/prompt set');
    await c.press(/^🕒/);
    expect(buttonsOf(c.keyboardMessage()).some((b) => b.text === 'Asia/Tokyo')).toBe(true);
    await c.press(/^«/);
    expect(buttonsOf(c.keyboardMessage()).some((b) => b.text.startsWith('🎭'))).toBe(true);
  });

  it('sets the time zone from the menu, by name, and from a shared location', async () => {
    const c = chatter(h, nextChat++, lang);
    await c.command('settings');
    await c.press(/^🕒/);
    expect((await c.press('Asia/Tokyo')).notice).toBe(t.saved);
    expect((await userOf(c)).settings.timezone).toBe('Asia/Tokyo');

    await c.command('timezone', 'europe/berlin');
    expect(c.lastText()).toContain('Europe/Berlin');
    await c.say('what time is it?');
    expect(systemText(askedWith('what time is it?'))).toMatch(/\(Europe\/Berlin, UTC\+0[12]:00\)/);

    await c.command('timezone', 'Mars/Olympus_Mons');
    expect(c.lastText()).toContain('Mars/Olympus_Mons');
    expect((await userOf(c)).settings.timezone).toBe('Europe/Berlin');

    // A location shared without being asked changes nothing; after the button it does.
    await c.push(locationUpdate(c, lang, -33.9, 151.2));
    expect((await userOf(c)).settings.timezone).toBe('Europe/Berlin');
    await askForLocation(c);
    await c.push(locationUpdate(c, lang, -33.9, 151.2));
    expect((await userOf(c)).settings.timezone).toBe('Australia/Sydney');
    expect(c.lastText()).toContain('Australia/Sydney');
  });

  it('sets the zone whose borders hold a shared location, and the zone of the longitude at sea', async () => {
    const c = chatter(h, nextChat++, lang);
    // Volgograd keeps Moscow time all year: a nearest-big-city guess lands in Samara (UTC+4).
    await askForLocation(c);
    await c.push(locationUpdate(c, lang, 48.708, 44.5133));
    expect((await userOf(c)).settings.timezone).toBe('Europe/Volgograd');
    expect(c.lastText()).toContain('Europe/Volgograd');
    expect(c.lastText()).toContain('UTC+03:00');
    await c.say('what time is it in Volgograd?');
    expect(systemText(askedWith('what time is it in Volgograd?'))).toContain('(Europe/Volgograd, UTC+03:00)');

    // Mid-Atlantic: no country's zone, so the nautical one for 40°W, and the reply says why.
    await askForLocation(c);
    await c.push(locationUpdate(c, lang, 30, -40));
    expect((await userOf(c)).settings.timezone).toBe('Etc/GMT+3');
    expect(c.lastText()).toMatch(t.atSea);
    expect(c.lastText()).toContain('UTC-03:00');
  });

  it('keeps, shows, refuses when too long, and clears the own prompt', async () => {
    const c = chatter(h, nextChat++, lang);
    await c.command('prompt', 'set Always end with the word BANANA.');
    await c.say('hello there');
    expect(systemText(askedWith('hello there'))).toContain('Always end with the word BANANA.');
    await c.command('prompt', 'show');
    expect(c.lastText()).toContain('Always end with the word BANANA.');

    await c.command('prompt', `set ${'x'.repeat(2001)}`);
    // Numbers come formatted for the language: 2,001 / 2 001.
    expect(c.lastText().replace(/(\d)[,\s\u00a0\u202f](\d)/g, '$1$2')).toMatch(/2001\D+2000/);
    expect((await userOf(c)).settings.customPrompt).toBe('Always end with the word BANANA.');

    await c.command('prompt', 'clear');
    expect((await userOf(c)).settings.customPrompt).toBeNull();
    await c.command('prompt', 'show');
    await c.command('prompt');
    expect(c.lastText()).toContain('/prompt clear');
    await c.say('and now?');
    expect(systemText(askedWith('and now?'))).not.toContain('BANANA');
  });

  it('answers a stale menu, a forged payload and garbage data with a notice, never an error', async () => {
    const c = chatter(h, nextChat++, lang);
    await c.command('settings');
    const old = c.keyboardMessage();
    const toggle = buttonsOf(old).find((b) => b.text.startsWith('📝'))!;
    await c.command('settings');
    await c.press(/^📝/);
    // The first message still shows the old label: its button is outdated.
    const stale = await c.callback(toggle.callback_data, old.messageId);
    expect(stale.notice).toMatch(t.outdated);
    expect((await userOf(c)).settings.showTranscript).toBe(true);

    await c.press(/^🎭/);
    const persona = buttonsOf(c.keyboardMessage()).find((b) => b.text === t.coder)!;
    const forged = persona.callback_data.replace(
      /^(settings-persona\/\w+\/\w+\/)\d+\//,
      (_all, head: string) => `${head}99/`,
    );
    expect(forged).not.toBe(persona.callback_data);
    expect((await c.callback(forged, c.keyboardMessage().messageId)).notice).toBe(t.invalid);
    expect((await c.callback('settings/zz/-1//h', c.keyboardMessage().messageId)).notice).toMatch(t.stale);
    expect((await c.callback('no-such-feature:42', c.keyboardMessage().messageId)).notice).toMatch(t.stale);
    expect((await userOf(c)).settings.persona).toBe('assistant');
    expect(h.logs.lines().filter((l) => l.msg === 'update handler failed')).toEqual([]);
  });
});

describe('languages', () => {
  it('defaults from language_code, switches with /language and the menu, and reaches the model', async () => {
    const c = chatter(h, nextChat++, 'ru');
    await c.command('help');
    expect(c.lastText()).toContain('Что я умею');
    await c.command('language', 'en');
    expect(c.lastText()).toBe('Interface language: English.');
    await c.say('hi');
    expect(systemText(askedWith('hi'))).toContain('Answer in English');
    await c.command('language', 'xx');
    expect(c.lastText()).toContain('en, ru');

    await c.command('language');
    expect((await c.press('Русский')).notice).toBe('Сохранено.');
    expect(c.lastText()).toBe('Язык интерфейса: Русский.');
    await c.say('привет');
    expect(systemText(askedWith('привет'))).toContain('Answer in Russian');

    await c.command('settings');
    await c.press(/^🌐/);
    await c.press('English');
    expect(c.lastText()).toMatch(/^⚙️ Settings/);
    expect((await userOf(c)).language).toBe('en');
  });

  it('/premium says premium is not offered while the operator has set no price (the default)', async () => {
    const c = chatter(h, nextChat++, 'ru');
    await c.command('premium');
    expect(c.lastText()).toBe('В этом боте премиум не продаётся.');
    expect(h.telegram.invoices(c.chatId)).toEqual([]);
  });

  it('sets the "/" command menu per language on start', () => {
    const calls = h.telegram.callsOf('setMyCommands');
    const ru = calls.find((call) => call.params.language_code === 'ru')!;
    const fallback = calls.find((call) => call.params.language_code === undefined)!;
    expect(JSON.stringify(ru.params.commands)).toContain('Настройки');
    expect(JSON.stringify(fallback.params.commands)).toContain('"settings"');
    // Premium is off by default: no /premium in the menu.
    expect(JSON.stringify(fallback.params.commands)).not.toContain('"premium"');
    expect(ru.response?.ok).toBe(true);
  });
});

describe('restart', () => {
  it('keeps every setting across a daemon restart and sends them to Gemini', async () => {
    const c = chatter(h, nextChat++, 'en');
    await c.command('settings');
    await c.press(/^🎭/);
    await c.press('Tutor');
    await c.command('timezone', 'Asia/Kolkata');
    await c.command('prompt', 'set Call me Captain.');
    await c.command('language', 'ru');
    await h.restart();
    await c.say('after restart');
    const system = systemText(askedWith('after restart'));
    expect(system).toContain('patient tutor');
    expect(system).toContain('(Asia/Kolkata, UTC+05:30)');
    expect(system).toContain('Call me Captain.');
    expect(system).toContain('Answer in Russian');
    await c.command('settings');
    expect(c.lastText()).toContain('Персона: Репетитор');
  });
});
