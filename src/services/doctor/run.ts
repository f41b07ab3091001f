/**
 * Runs the doctor's checks: independent ones in parallel, a check after the ones it needs,
 * each under its own deadline so one hanging service (a Telegram that never answers) cannot
 * hang the rest. A check whose prerequisite failed is reported, not run.
 */
import { BotctlError } from '../../domain/errors.js';
import type { Check, CheckOutcome, CheckReport, DoctorContext } from './types.js';

export interface DoctorSummary {
  pass: number;
  warn: number;
  fail: number;
}

export async function runChecks(checks: readonly Check[], ctx: DoctorContext): Promise<CheckReport[]> {
  const applicable = checks.filter((check) => check.applies?.(ctx) ?? true);
  const byId = new Map(applicable.map((check) => [check.id, check]));
  const started = new Map<string, Promise<CheckReport>>();
  /** Why a check was not run: the title of the failed check at the root of its prerequisites. */
  const notRun = new Map<string, string>();

  const start = (check: Check): Promise<CheckReport> => {
    let report = started.get(check.id);
    if (!report) {
      report = (async () => {
        const prerequisites = (check.needs ?? []).map((id) => byId.get(id)).filter((c) => c !== undefined);
        const before = await Promise.all(prerequisites.map(start));
        // A prerequisite that failed, or was itself not checked, leaves nothing to check with.
        const blocked = before.find((r) => r.status === 'fail' || notRun.has(r.id));
        const cause = blocked && (notRun.get(blocked.id) ?? blocked.title);
        if (cause) notRun.set(check.id, cause);
        const outcome: CheckOutcome = cause
          ? { status: 'warn', detail: `not checked: ${cause} failed` }
          : await runOne(check, ctx);
        return { id: check.id, title: check.title, ...outcome };
      })();
      started.set(check.id, report);
    }
    return report;
  };
  return Promise.all(applicable.map(start));
}

async function runOne(check: Check, ctx: DoctorContext): Promise<CheckOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        status: 'fail',
        detail: `no answer within ${ctx.timeoutMs >= 1000 ? `${ctx.timeoutMs / 1000} s` : `${ctx.timeoutMs} ms`}`,
        hint: 'check the network, or raise --timeout',
      });
    }, ctx.timeoutMs);
  });
  try {
    return await Promise.race([check.run(ctx, controller.signal).catch(failed), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failed(error: unknown): CheckOutcome {
  if (error instanceof BotctlError) {
    return { status: 'fail', detail: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  return { status: 'fail', detail: error instanceof Error ? error.message : String(error) };
}

export function summarize(reports: readonly CheckReport[]): DoctorSummary {
  const count = (status: CheckReport['status']) => reports.filter((r) => r.status === status).length;
  return { pass: count('pass'), warn: count('warn'), fail: count('fail') };
}
