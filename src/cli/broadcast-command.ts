/**
 * What the broadcast commands share: the app's broadcast service, the broadcast lock (one
 * broadcast at a time per data dir), the run with a redrawn progress line in a terminal, and the output: human lines in a TTY, the `--json` envelope with --json,
 * and otherwise exactly one JSON summary line (cron logs want no progress bars).
 */
import { Flags, type Command } from '@oclif/core';
import { EXIT, toBotctlError } from '../domain/errors.js';
import type {
  BroadcastReport,
  BroadcastService,
  RunProgress,
  RunStats,
} from '../services/broadcast/index.js';
import { BaseCommand } from './base-command.js';

export interface BroadcastSummary {
  id: string;
  status: string;
  outcome: RunStats['stop'];
  recipients: number;
  sent: number;
  blocked: number;
  failed: number;
  pending: number;
  thisRun: Omit<RunStats, 'stop' | 'pausedMs' | 'elapsedMs'> & {
    pausedSeconds: number;
    elapsedSeconds: number;
  };
}

export const rateFlag = Flags.integer({
  description: 'messages per second [default: config broadcastRate, 25]',
  min: 1,
  max: 1000,
});

export abstract class BroadcastCommand<T extends typeof Command> extends BaseCommand<T> {
  protected async service(): Promise<BroadcastService> {
    return this.useCase('broadcasts');
  }

  /** Human output only in a terminal: under cron the single summary line is the whole story. */
  protected get human(): boolean {
    return !this.jsonEnabled() && process.stdout.isTTY === true;
  }

  /** Holds the broadcast lock for the whole of `work` (exit 75 when another broadcast runs). */
  protected async locked<R>(work: () => Promise<R>): Promise<R> {
    const lock = (await this.app()).services.lock('broadcast', 'a broadcast');
    try {
      return await work();
    } finally {
      lock.release();
    }
  }

  /** Runs the broadcast; SIGINT/SIGTERM stop it cleanly (in-flight sends recorded, the rest left pending). */
  protected async sendNow(service: BroadcastService, id: string, rate?: number): Promise<BroadcastSummary> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const bar = this.human ? progressLine((text) => process.stdout.write(text)) : undefined;
    try {
      const result = await service
        .run(id, { ratePerSecond: rate, signal: controller.signal, onProgress: bar?.update })
        .catch(async (error: unknown) => {
          const counts = await service.status(id).then(
            (report) => report.counts.pending + report.counts.sending,
            () => '?',
          );
          const reason = toBotctlError(error).code;
          await this.alertOperator({ kind: 'broadcast-failed', params: { id, reason, pending: counts } });
          await this.publishEvent('broadcast.failed', {
            broadcast_id: id,
            reason,
            pending: typeof counts === 'number' ? counts : null,
          });
          throw error;
        });
      bar?.finish();
      const summary = summarize(result);
      // Finished by this run (resuming one already done sends nothing and tells no one).
      const { run } = result;
      if (summary.outcome === 'finished' && run.sent + run.blocked + run.failed + run.skipped > 0) {
        const { sent, blocked, failed } = summary;
        await this.alertOperator({ kind: 'broadcast-finished', params: { id, sent, blocked, failed } });
        await this.publishEvent('broadcast.finished', { broadcast_id: id, sent, blocked, failed });
      }
      if (summary.outcome === 'interrupted') process.exitCode = EXIT.tempFail;
      return summary;
    } finally {
      bar?.finish();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }

  /** Prints the summary the way the output mode wants; returns it for the --json envelope. */
  protected report(summary: BroadcastSummary): BroadcastSummary {
    if (!this.jsonEnabled() && !this.human) this.log(JSON.stringify(summary));
    if (!this.human) return summary;
    const run = summary.thisRun;
    this.log(`Broadcast ${summary.id}: ${summary.status} (${summary.outcome})`);
    this.log(
      `  recipients ${summary.recipients}: sent ${summary.sent}, blocked ${summary.blocked}, failed ${summary.failed}, pending ${summary.pending}`,
    );
    this.log(
      `  this run: sent ${run.sent} in ${run.elapsedSeconds}s, 429s honoured ${run.rateLimited} (paused ${run.pausedSeconds}s)`,
    );
    if (run.unknownAfterCrash > 0) {
      this.log(
        `  ${run.unknownAfterCrash} left unknown by a crash were not resent (no duplicates); see broadcast status`,
      );
    }
    if (summary.outcome !== 'finished' && summary.status !== 'cancelled') {
      this.log(`  continue with: botctl broadcast resume ${summary.id}`);
    }
    return summary;
  }
}

function summarize(result: BroadcastReport & { run: RunStats }): BroadcastSummary {
  const { broadcast, counts, run } = result;
  const { stop, pausedMs, elapsedMs, ...rest } = run;
  return {
    id: broadcast.id,
    status: broadcast.status,
    outcome: stop,
    recipients: Object.values(counts).reduce((a, b) => a + b, 0),
    sent: counts.sent,
    blocked: counts.blocked,
    failed: counts.failed,
    pending: counts.pending + counts.sending,
    thisRun: { ...rest, pausedSeconds: round1(pausedMs / 1000), elapsedSeconds: round1(elapsedMs / 1000) },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A one-line bar redrawn at most ten times a second. */
function progressLine(write: (text: string) => void) {
  let last = 0;
  let drawn = false;
  return {
    update(p: RunProgress) {
      const now = Date.now();
      if (now - last < 100 && p.remaining > 0) return;
      last = now;
      drawn = true;
      const done = p.total - p.remaining;
      const width = 24;
      const filled = p.total === 0 ? width : Math.round((done / p.total) * width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      write(
        `\r[${bar}] ${done}/${p.total}  sent ${p.sent} blocked ${p.blocked} failed ${p.failed}  ETA ${p.etaSeconds}s\x1b[K`,
      );
    },
    finish() {
      if (drawn) write('\n');
      drawn = false;
    },
  };
}
