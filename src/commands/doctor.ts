import fs from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT_CODES_HELP } from '../cli/exit-codes.js';
import type { JsonShape } from '../cli/json-shape.js';
import type { Config, LoadConfigInput } from '../config/config.js';
import { configFilePath, readConfigFile } from '../config/file.js';
import { configProblems } from '../config/sources.js';
import { BotctlError } from '../domain/errors.js';
import type { CheckReport, DoctorSummary } from '../services/doctor/index.js';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary =
    'Check the installation: config, permissions, database, Telegram, Gemini, tools, disk, backups';
  static override description =
    'Prints one pass / warn / fail line per check and a hint for each problem. Checks run in parallel, each with its ' +
    'own deadline, so a service that does not answer cannot hang the others. Exits 1 when any check fails; the ' +
    '--json result lists every check either way.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json --timeout 5'];
  static jsonShape: JsonShape = {
    healthy: 'boolean',
    summary: { pass: 'number', warn: 'number', fail: 'number' },
    checks: [{ id: 'string', title: 'string', status: 'string', detail: 'string', 'hint?': 'string' }],
  };
  static override flags = {
    timeout: Flags.integer({ description: 'seconds each check may take', default: 15, min: 1 }),
  };

  async run(): Promise<{ healthy: boolean; summary: DoctorSummary; checks: CheckReport[] }> {
    const [{ CHECKS }, { runChecks, summarize }, { createProbes }] = await Promise.all([
      import('../services/doctor/index.js'),
      import('../services/doctor/index.js'),
      import('../probes/probes.js'),
    ]);
    const { config, problems, fileExists } = this.inspectConfig();
    const checks = await runChecks(CHECKS, {
      config,
      configProblems: problems,
      dataDir: this.dataDir,
      configFile: configFilePath(this.dataDir),
      configFileExists: fileExists,
      nodeVersion: process.version,
      probes: createProbes(config ?? undefined),
      now: () => new Date(),
      timeoutMs: this.flags.timeout * 1000,
    });
    const width = Math.max(...checks.map((c) => c.title.length));
    for (const check of checks) {
      this.say(`${LABEL[check.status]}  ${check.title.padEnd(width)}  ${check.detail}`);
      if (check.hint && check.status !== 'pass') this.say(`      ${' '.repeat(width)}  hint: ${check.hint}`);
    }
    const summary = summarize(checks);
    this.say(`\n${summary.pass} passed, ${summary.warn} warning(s), ${summary.fail} failed`);
    // The report is the result either way; a failed check is exit 1 (the --json envelope still has every check).
    const failed = checks.filter((c) => c.status === 'fail').map((c) => c.title);
    if (failed.length > 0) {
      this.failWith(
        new BotctlError('CHECK_FAILED', `${failed.length} check(s) failed: ${failed.join(', ')}`, {
          hint: 'see the hint under each failed check',
        }),
      );
    }
    return { healthy: summary.fail === 0, summary, checks };
  }

  /** Doctor must report a broken config, not die of it: every problem becomes the config check's detail. */
  private inspectConfig(): { config: Readonly<Config> | null; problems: string[]; fileExists: boolean } {
    let input: LoadConfigInput;
    try {
      const file = readConfigFile(this.dataDir);
      input = { dataDir: this.dataDir, env: process.env, file, readFile: (p) => fs.readFileSync(p, 'utf8') };
    } catch (error) {
      return { config: null, problems: [(error as Error).message], fileExists: true };
    }
    const problems = configProblems(input);
    const fileExists = input.file !== undefined;
    if (problems.length > 0) return { config: null, problems, fileExists };
    // Through the base command, so secrets are scrubbed from anything printed.
    return { config: this.loadConfig(), problems, fileExists };
  }
}
