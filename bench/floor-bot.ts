/**
 * The floor for `bench/bot.ts`: the least a grammY + @google/genai bot must do to answer a
 * text, with no storage, limits or i18n. It streams the answer like botctl does and keeps
 * per-chat order (sequentialize), so the difference to botctl is botctl's own work. Like most
 * grammY bots it retries 429s (auto-retry) and paces nothing.
 *
 *   FLOOR_TOKEN=... FLOOR_API_ROOT=... FLOOR_GEMINI_URL=... FLOOR_GEMINI_KEY=... node --import tsx bench/floor-bot.ts
 */
import { Bot } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize } from '@grammyjs/runner';
import { GoogleGenAI } from '@google/genai';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const bot = new Bot(env('FLOOR_TOKEN'), { client: { apiRoot: env('FLOOR_API_ROOT') } });
const ai = new GoogleGenAI({
  apiKey: env('FLOOR_GEMINI_KEY'),
  httpOptions: { baseUrl: env('FLOOR_GEMINI_URL') },
});

bot.api.config.use(autoRetry());
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.on('message:text', async (ctx) => {
  let text = '';
  const stream = await ai.models.generateContentStream({
    model: 'gemini-flash-latest',
    contents: ctx.msg.text,
  });
  for await (const chunk of stream) text += chunk.text ?? '';
  await ctx.reply(text);
});
bot.catch((error) => console.error(error.error));

await bot.init();
await bot.api.deleteWebhook();
const runner = run(bot);
process.once('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
