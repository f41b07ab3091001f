import { Flags } from '@oclif/core';
import { resolvePassphrase } from '../cli/backup-command.js';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT_CODES_HELP } from '../cli/exit-codes.js';
import { EXIT } from '../domain/errors.js';

/** How long a start may go on after a signal before the process exits without finishing it. */
const STARTUP_SIGNAL_GRACE_MS = 5_000;

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
    // Signals are taken from the first moment: /readyz may say 200 an instant before startDaemon
    // returns, and a SIGTERM then must stop the daemon cleanly, not kill it by Node's default
    // action. A start still busy a few seconds after a signal (Telegram unreachable) exits at once.
    let signals = 0;
    let signalled: (signal: NodeJS.Signals) => void = () => undefined;
    const firstSignal = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
    let started = false;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) process.exit(EXIT.interrupted); // a second signal forces exit
      if (!started) setTimeout(() => process.exit(EXIT.interrupted), STARTUP_SIGNAL_GRACE_MS).unref();
      signalled(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const { startDaemon } = await import('../daemon/daemon.js');
    const daemon = await startDaemon({
      config,
      mode: this.flags.mode as 'polling' | 'webhook' | undefined,
      autoMigrate: this.flags['auto-migrate'],
      backupPassphrase: () => resolvePassphrase({}, process.env),
      pace: config.telegramThrottle,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    started = true;
    const failure = await new Promise<Error | undefined>((resolve) => {
      void firstSignal.then((signal) => daemon.stop(signal).then(() => resolve(undefined), resolve));
      // The daemon stopped itself (e.g. another poller has the token): exit with its code.
      void daemon.failed.then(resolve);
    });
    if (failure) throw failure;
  }
}
