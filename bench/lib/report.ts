/** Turns what bench/bot.ts measured into table rows, and reports progress. */
import type { Cost } from './scenarios.js';
import { pct, round } from './stats.js';

export interface Measured {
  seq: { latencies: number[]; firstSign: number[]; cost: Cost };
  b: {
    updatesPerSecond: number;
    lost: number;
    duplicated: number;
    unexpected: number;
    reorderedChats: number;
    cost: Cost;
  };
  /** Bot API calls that failed during the case. */
  failedCalls: number;
  /** Updates the fake Telegram gave up delivering (webhook retries exhausted). */
  droppedByFake: number;
}

/** Progress on stderr, so a slow phase shows while the run goes on. */
export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  console.error(`bench:   ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

/** One table row; `floor` gives the overhead columns. */
export function row(name: string, m: Measured, floor?: Measured) {
  const p = (values: number[], q: number) => round(pct(values, q));
  const lat = m.seq.latencies;
  return {
    case: name,
    p50_ms: p(lat, 50),
    p99_ms: p(lat, 99),
    overhead_p50_ms: floor ? round(pct(lat, 50) - pct(floor.seq.latencies, 50)) : '',
    overhead_p99_ms: floor ? round(pct(lat, 99) - pct(floor.seq.latencies, 99)) : '',
    first_sign_p50_ms: m.seq.firstSign.length ? p(m.seq.firstSign, 50) : '',
    first_sign_p99_ms: m.seq.firstSign.length ? p(m.seq.firstSign, 99) : '',
    cpu_ms_per_update: round(m.seq.cost.botCpuMs),
    // Wall-clock overhead swings with the machine's load; CPU time per update does not (much).
    overhead_cpu_ms: floor ? round(m.seq.cost.botCpuMs - floor.seq.cost.botCpuMs) : '',
    burst_per_s: Math.round(m.b.updatesPerSecond),
    ...costColumns(m.b.cost),
    'lost/dup/unexp/reord': `${m.b.lost}/${m.b.duplicated}/${m.b.unexpected}/${m.b.reorderedChats}`,
    'failed_calls/dropped': `${m.failedCalls}/${m.droppedByFake}`,
    ...memoryColumns(m.b.cost),
  };
}

/** The bot's CPU per update under load, what that allows on one core, and the fakes' share. */
export function costColumns(cost: Cost) {
  return {
    burst_cpu_ms_per_update: round(cost.botCpuMs),
    cpu_bound_max_per_s: Math.round(1000 / cost.botCpuMs),
    fakes_cpu_ms_per_update: round(cost.fakesCpuMs),
  };
}

export function memoryColumns(cost: Cost) {
  return { rss_mb: Math.round(cost.after.rssMb), peak_rss_mb: Math.round(cost.after.peakRssMb) };
}
