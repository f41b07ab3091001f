import { Flags } from '@oclif/core';
import { resolvePassphrase } from '../cli/backup-command.js';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT_CODES_HELP } from '../cli/exit-codes.js';
import { EXIT } from '../domain/errors.js';

export default class Start extends BaseCommand<typeof Start> {
  static override summary = 'Run the bot (long polling or webhook) with health and metrics endpoints';
  static override description =
    'Runs until SIGTERM or SIGINT: then stops taking updates, lets answers in flight finish (up to 25 s), and exits 0. A second signal exits at once. Refuses to start while migrations are pending unless --auto-migrate, which first takes the backup `migrate up` takes. Refuses to start while `backup restore` replaces the database.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> start',
    '<%= config.bin %> start --mode webhook --auto-migrate',
  ];
  static override enableJsonFlag = false;
  static override flags = {
    mode: Flags.string({
      options: ['polling', 'webhook'],
      description: 'how updates arrive [default: config `mode`]',
    }),
    'auto-migrate': Flags.boolean({
      description: 'apply pending migrations before starting (after a verified backup, like `migrate up`)',
    }),
  };

  async run(): Promise<void> {
    const config = this.loadConfig();
    const { startDaemon } = await import('../daemon/daemon.js');
    const daemon = await startDaemon({
      config,
      mode: this.flags.mode as 'polling' | 'webhook' | undefined,
      autoMigrate: this.flags['auto-migrate'],
      backupPassphrase: () => resolvePassphrase({}, process.env),
      pace: config.telegramThrottle,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    const failure = await new Promise<Error | undefined>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) process.exit(EXIT.interrupted); // a second signal forces exit
        void daemon.stop(signal).then(() => resolve(undefined), resolve);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      // The daemon stopped itself (e.g. another poller has the token): exit with its code.
      void daemon.failed.then(resolve);
    });
    if (failure) throw failure;
  }
}
