/**
 * What setup does once the config file is written: migrations (with the backup `migrate up`
 * takes first), the test message to the first admin (a failure is a warning: the setup itself
 * worked) and the deployment files asked for.
 */
import type { App } from '../../app/index.js';
import type { Probes } from '../../probes/probes.js';
import { renderDeployFiles } from '../../deploy/files.js';
import { resolvePassphrase } from '../backup-command.js';
import fs from 'node:fs';
import { loadConfig } from '../../config/config.js';
import { configFilePath, writeConfigFile } from '../../config/file.js';
import { finalFile } from './draft.js';
import type { Plan, PlanInput } from './plan.js';

export interface SetupResult {
  configFile: string;
  bot: string | null;
  model: string;
  dialect: string;
  mode: string;
  migrationsApplied: string[];
  backup: string | null;
  testMessage: 'sent' | 'failed' | 'skipped';
  rendered: string[];
}

export interface FinishInput {
  app: App;
  plan: Plan;
  file: Record<string, unknown>;
  probes: Probes;
  skipChecks: boolean;
  renderDir: string;
  includeSecrets: boolean;
  say: (line: string) => void;
  warn: (line: string) => void;
}

/** Validates the whole file as `start` will read it (file + environment), then writes it; returns what was written. */
export function writeSetupConfig(
  plan: Plan,
  input: PlanInput,
): { file: Record<string, unknown>; hadFile: boolean; tightened: boolean } {
  const { dataDir } = input;
  const file = finalFile(plan.draft, dataDir, input.given, input.existing);
  // Rules across keys (webhook mode needs its URL and secret) are checked here, before anything is written.
  loadConfig({ dataDir, env: process.env, file, readFile: (p) => fs.readFileSync(p, 'utf8') });
  const hadFile = fs.existsSync(configFilePath(dataDir));
  writeConfigFile(dataDir, file);
  // A data dir made beforehand (by hand, by a package) may be readable by others; it now holds secrets.
  const tightened = (fs.statSync(dataDir).mode & 0o077) !== 0;
  if (tightened) fs.chmodSync(dataDir, 0o700);
  return { file, hadFile, tightened };
}

export async function finishSetup(input: FinishInput): Promise<SetupResult> {
  const { app, plan, say } = input;
  const { config } = app;
  const migrations = await app.services.migrations();
  const { dialect } = migrations;
  const { applied, backup } = await migrations.up({
    passphrase: resolvePassphrase({}, process.env),
    onBackup: (taken) => say(`Backed up the database first: ${taken.id}`),
  });
  say(
    applied.length === 0
      ? `Database (${dialect}) is up to date.`
      : `Applied ${applied.length} migration(s) on ${dialect}.`,
  );

  const testMessage = await sendTestMessage(input);
  const rendered = renderDeployFiles({
    config,
    file: input.file,
    includeSecrets: input.includeSecrets,
    kinds: plan.render,
    outDir: input.renderDir,
  });
  if (rendered.length > 0)
    say(`Rendered ${rendered.length} file(s) into ${input.renderDir}:\n  ${rendered.join('\n  ')}`);
  say(
    `Done${plan.bot ? `: @${plan.bot.username} is ready` : ''}. Start it with \`botctl start\`; check it with \`botctl doctor\`.`,
  );
  return {
    configFile: configFilePath(config.dataDir),
    bot: plan.bot?.username ?? null,
    model: config.model,
    dialect,
    mode: config.mode,
    migrationsApplied: applied,
    backup: backup?.id ?? null,
    testMessage,
    rendered,
  };
}

async function sendTestMessage({
  app,
  plan,
  probes,
  skipChecks,
  say,
  warn,
}: FinishInput): Promise<SetupResult['testMessage']> {
  const { config } = app;
  const admin = config.admins[0];
  if (admin === undefined || skipChecks || !config.telegramToken) return 'skipped';
  const name = plan.bot ? `@${plan.bot.username}` : 'botctl';
  const text = `${name} is set up: this is a test message from \`botctl setup\`. You are an admin of this bot.`;
  try {
    await probes.sendMessage({ token: config.telegramToken, apiRoot: config.telegramApiRoot }, admin, text);
    say(`Sent a test message to admin ${admin}.`);
    return 'sent';
  } catch (error) {
    warn(
      `the test message to admin ${admin} was not delivered (${(error as Error).message}); open the bot in Telegram and press Start, then check with \`botctl doctor\``,
    );
    return 'failed';
  }
}
