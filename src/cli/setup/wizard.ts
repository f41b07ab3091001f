/**
 * The interactive setup: one question per setting, in the order an operator thinks of them,
 * each validated by the option's schema and checked against the real service as it is
 * answered. Values given as flags or BOTCTL_* are used without asking (unless they fail).
 * Nothing is written here: the caller writes once, after the last answer.
 */
import { parseRenderKinds, RENDER_KINDS, type RenderKind } from '../../deploy/render-kinds.js';
import type { Probes } from '../../probes/probes.js';
import type { ModelInfo } from '../../domain/ports/index.js';
import type { BotIdentity } from '../../services/doctor/index.js';
import type { Given } from '../option-flags.js';
import type { Prompter } from '../prompter.js';
import { ask, schemaDefault, type Question } from './ask.js';
import { defaultDatabasePath } from '../../config/config.js';
import { ensureWebhookSecret, type Draft } from './draft.js';
import {
  chatModels,
  checkDatabase,
  checkRedis,
  checkTelegram,
  listModels,
  modelMissing,
  pickModel,
} from './verify.js';

export interface WizardInput {
  /** Valid values of the existing file plus every valid given value. */
  draft: Draft;
  given: Given;
  probes: Probes;
  dataDir: string;
  skipChecks: boolean;
  /** --render, when given; otherwise the wizard asks. */
  render: RenderKind[] | undefined;
}

export interface WizardResult {
  bot: BotIdentity | null;
  render: RenderKind[];
}

export async function runWizard(io: Prompter, input: WizardInput): Promise<WizardResult> {
  const { draft, given, probes, dataDir, skipChecks } = input;
  // Filled in by the checks as answers come in (an object, so TypeScript sees the closures write it).
  const found: { bot: BotIdentity | null; models: ModelInfo[] | null } = { bot: null, models: null };
  const check = (work: (value: unknown) => Promise<string | undefined>) => (skipChecks ? undefined : work);
  const set = async (q: Omit<Question, 'current' | 'preset'>) => {
    const current = draft[q.key] ?? schemaDefault(q.key);
    draft[q.key] = await ask(io, { ...q, current, preset: given.values.get(q.key)?.raw });
  };

  await set({
    key: 'telegramToken',
    text: 'Telegram bot token (from @BotFather)',
    required: true,
    check: check(async (token) => {
      found.bot = await checkTelegram(probes, { ...draft, telegramToken: token });
      return `@${found.bot.username}`;
    }),
  });
  await set({
    key: 'geminiApiKey',
    text: 'Gemini API key (https://aistudio.google.com/apikey)',
    required: true,
    check: check(async (apiKey) => {
      found.models = await listModels(probes, { ...draft, geminiApiKey: apiKey });
      return `${chatModels(found.models).length} chat models available`;
    }),
  });
  const offered = found.models;
  if (offered) {
    const ids = chatModels(offered);
    if (!given.values.has('model')) ids.forEach((id, i) => io.say(`  ${String(i + 1).padStart(2)}) ${id}`));
    draft.model = pickModel(offered, draft.model) ?? pickModel(offered, undefined) ?? ids[0];
  }
  await set({
    key: 'model',
    text: offered ? 'Model (number or id)' : 'Model',
    transform: (answer) =>
      /^\d+$/.test(answer) && offered ? (chatModels(offered)[Number(answer) - 1] ?? answer) : answer,
    check: offered
      ? async (model) => {
          if (pickModel(offered, model) === undefined) throw modelMissing(offered, model);
          return undefined;
        }
      : undefined,
  });
  draft.databaseUrl ??= defaultDatabasePath(dataDir);
  await set({
    key: 'databaseUrl',
    text: 'Database: a SQLite file path or a postgres:// URL',
    required: true,
    check: check((url) => checkDatabase(probes, { databaseUrl: url }, dataDir)),
  });
  await set({
    key: 'redisUrl',
    text: 'Redis URL for a shared cache (optional)',
    check: check(async (url) => (await checkRedis(probes, url as string), 'Redis answers')),
  });
  await set({ key: 'mode', text: 'How updates arrive: polling or webhook', required: true });
  if (draft.mode === 'webhook') {
    await set({ key: 'webhookUrl', text: 'Public https:// URL Telegram posts updates to', required: true });
    if (ensureWebhookSecret(draft)) io.say('  ✓ generated a webhook secret');
  }
  await set({
    key: 'admins',
    text: 'Admin Telegram user ids, comma-separated (the first gets a test message)',
  });
  await askQuota(io, draft, given);
  return { bot: found.bot, render: input.render ?? (await askRender(io)) };
}

/** Quotas are JSON in the config; the wizard asks only the one number most operators change. */
async function askQuota(io: Prompter, draft: Draft, given: Given): Promise<void> {
  if (given.values.has('quotas')) return;
  const current = (draft.quotas ?? schemaDefault('quotas')) as {
    user: { messagesPerDay: number };
  };
  draft.quotas = await ask(io, {
    key: 'quotas',
    text: 'Messages a day per user (0 = unlimited)',
    current,
    currentLabel: String(current.user.messagesPerDay),
    required: true,
    transform: (answer) =>
      JSON.stringify({
        ...current,
        user: { ...current.user, messagesPerDay: /^\d+$/.test(answer) ? Number(answer) : answer },
      }),
  });
}

async function askRender(io: Prompter): Promise<RenderKind[]> {
  for (;;) {
    const answer = await io.ask(
      `Render deployment files? ${RENDER_KINDS.join(', ')} (comma-separated) [none]: `,
    );
    try {
      return parseRenderKinds(answer);
    } catch (error) {
      io.say(`  ✗ ${(error as Error).message}`);
    }
  }
}
