import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT_CODES_HELP } from '../cli/exit-codes.js';
import { EXIT } from '../domain/errors.js';
import type { JsonShape } from '../cli/json-shape.js';
import { collectGiven, optionFlags } from '../cli/option-flags.js';
import { configFilePath, readConfigFile } from '../config/file.js';
import { parseRenderKinds, RENDER_KINDS } from '../deploy/render-kinds.js';
import { assertWritableDir } from '../config/writable.js';
import { finishSetup, writeSetupConfig, type SetupResult } from '../cli/setup/finish.js';
import { makePlan, type PlanInput } from '../cli/setup/plan.js';

export default class Setup extends BaseCommand<typeof Setup> {
  static override summary =
    'Set up botctl: token, Gemini key and model, database, Redis, update mode, admins, quotas';
  static override description =
    'In a terminal, asks for each setting (Enter keeps the current value; secrets are typed hidden) and checks it ' +
    'against the real service. Unattended (--no-input, no terminal, or --json), takes every value from flags or ' +
    'BOTCTL_* variables (and BOTCTL_*_FILE) and lists every missing or invalid one at once. Then writes the config ' +
    'file (0600, the previous one kept as config.json.bak), applies migrations, sends a test message to the first ' +
    'admin and, with --render, writes deployment files. Ctrl-C at a prompt exits 130 and writes nothing.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> setup',
    'BOTCTL_TELEGRAM_TOKEN_FILE=/run/secrets/tg BOTCTL_GEMINI_API_KEY_FILE=/run/secrets/gemini <%= config.bin %> setup --no-input --admins 12345',
    '<%= config.bin %> setup --no-input --database-url postgres://botctl@db/botctl --mode webhook --webhook-url https://bot.example.com/webhook',
    '<%= config.bin %> setup --no-input --render systemd,env --render-dir ./deploy',
  ];
  static jsonShape: JsonShape = {
    configFile: 'string',
    bot: 'string|null',
    model: 'string',
    dialect: 'string',
    mode: 'string',
    migrationsApplied: ['string'],
    backup: 'string|null',
    testMessage: 'string',
    rendered: ['string'],
  };
  static override flags = {
    ...optionFlags,
    'no-input': Flags.boolean({ description: 'never prompt: take values from flags and BOTCTL_* only' }),
    'skip-checks': Flags.boolean({
      description: 'do not contact Telegram, Gemini, the database or Redis (offline)',
    }),
    render: Flags.string({
      description: `deployment files to write: ${RENDER_KINDS.join(', ')} (comma-separated) or all`,
    }),
    'render-dir': Flags.string({ description: 'where --render writes [default: <data dir>/deploy]' }),
    'include-secrets': Flags.boolean({
      description: 'put secret values into rendered files instead of placeholders',
    }),
  };

  async run(): Promise<SetupResult | null> {
    const dataDir = this.dataDir;
    assertWritableDir(dataDir);
    const render = this.flags.render === undefined ? undefined : parseRenderKinds(this.flags.render);
    const renderDir = path.resolve(this.flags['render-dir'] ?? path.join(dataDir, 'deploy'));
    if (render?.length) assertWritableDir(renderDir, 'render dir');
    const { createProbes } = await import('../probes/probes.js');
    const input: PlanInput = {
      existing: readConfigFile(dataDir) ?? {},
      given: collectGiven(this.flags, process.env, (p) => fs.readFileSync(p, 'utf8')),
      probes: createProbes(),
      dataDir,
      skipChecks: this.flags['skip-checks'],
      render,
    };
    const interactive = !this.flags['no-input'] && !this.jsonEnabled() && process.stdin.isTTY === true;
    const plan = await makePlan(input, interactive);
    if (plan === null) {
      this.logToStderr('\nSetup cancelled: nothing was written.');
      process.exitCode = EXIT.interrupted;
      return null;
    }
    if (plan.render.length > 0 && render === undefined) assertWritableDir(renderDir, 'render dir');
    const { file, hadFile, tightened } = writeSetupConfig(plan, input);
    const bak = hadFile ? '; the previous one is config.json.bak' : '';
    this.say(
      `Wrote ${configFilePath(dataDir)} (mode 0600${bak})${tightened ? `; ${dataDir} is now 0700` : ''}`,
    );
    if (plan.secretGenerated) this.say('Generated a webhook secret (stored in the config file).');
    return finishSetup({
      app: await this.app({ createDatabase: true }),
      plan,
      file,
      probes: input.probes,
      skipChecks: input.skipChecks,
      renderDir,
      includeSecrets: this.flags['include-secrets'],
      say: (line) => this.say(line),
      warn: (line) => this.note(line),
    });
  }
}
