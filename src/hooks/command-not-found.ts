/**
 * oclif's command_not_found hook: prints what src/cli/not-found.ts says and exits 2 (USAGE),
 * as one --json envelope when asked. Replaces @oclif/plugin-not-found, whose prompt ran the
 * suggested command on Enter.
 */
import { Errors, type Hook } from '@oclif/core';
import { BotctlError } from '../domain/errors.js';
import { explainNotFound } from '../cli/not-found.js';

const hook: Hook.CommandNotFound = async function ({ id, argv, config }) {
  const visible = config.commands.filter((c) => !c.hidden);
  const known = {
    commands: visible.flatMap((c) => [c.id, ...c.aliases]).map((name) => name.split(':')),
    topics: config.topics.filter((t) => !t.hidden).map((t) => t.name.split(':')),
  };
  const report = explainNotFound(config.bin, id.split(':'), known);
  const error = new BotctlError('USAGE', report.message, { hint: report.hint });
  if (argv?.includes('--json')) {
    const envelope = {
      status: 'error',
      error: { code: error.code, message: error.message, hint: report.hint },
      warnings: [],
    };
    process.stdout.write(`${JSON.stringify(envelope)}\n`);
    this.exit(error.exitCode);
  }
  throw new Errors.CLIError(error.message, {
    exit: error.exitCode,
    code: error.code,
    suggestions: [report.hint],
  });
};

export default hook;
