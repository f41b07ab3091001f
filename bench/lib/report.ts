/** Turns what bench/bot.ts measured into table rows, and reports progress. */
import type { Cost } from './scenarios.js';
import { pct, round } from './stats.js';

interface Burst {
  updatesPerSecond: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  reorderedChats: number;
  /** The first few lost and unexpected answers, "<kind> in chat <id>: <text>". */
  examples: string[];
  cost: Cost;
}

export interface Measured {
  serial: { latencies: number[]; firstSign: number[]; cost: Cost };
  instant: Burst;
  streamed: { repliesPerSecond: number; firstVsChunk: number[]; reply: number[]; cost: Cost };
  limited: Burst & { sends: number; tooMany: number };
  /** CPU % of one core while idle: right after the last burst, and in as long a window after that. */
  idleCpuPercent: [number, number];
  /** Bot API calls that failed during the case, besides the 429s of the limited scenario. */
  failedCalls: number;
  /** Updates the fake Telegram gave up delivering (webhook retries exhausted). */
  droppedByFake: number;
}

type Serial = Measured['serial'];

/** Rounds of one scenario as one: their CPU per update averaged (rounds are of equal size). */
function mergeCosts(costs: readonly Cost[]): Cost {
  const mean = (of: (cost: Cost) => number) =>
    costs.reduce((total, cost) => total + of(cost), 0) / costs.length;
  return {
    botCpuMs: mean((c) => c.botCpuMs),
    fakesCpuMs: mean((c) => c.fakesCpuMs),
    after: costs.at(-1)!.after,
  };
}

/** Serial rounds: every round's latencies together (their p50 is the table's). */
export function mergeSerial(rounds: readonly Serial[]): Serial {
  return {
    latencies: rounds.flatMap((r) => r.latencies),
    firstSign: rounds.flatMap((r) => r.firstSign),
    cost: mergeCosts(rounds.map((r) => r.cost)),
  };
}

/** Burst rounds: the median round's answers/s (NaN if one lost answers), and every round's problems. */
export function mergeBursts(rounds: readonly Burst[]): Burst {
  const total = (of: (b: Burst) => number) => rounds.reduce((sum, b) => sum + of(b), 0);
  const rates = rounds.map((b) => b.updatesPerSecond);
  return {
    updatesPerSecond: rates.some(Number.isNaN) ? NaN : pct(rates, 50),
    lost: total((b) => b.lost),
    duplicated: total((b) => b.duplicated),
    unexpected: total((b) => b.unexpected),
    reorderedChats: total((b) => b.reorderedChats),
    examples: rounds.flatMap((b) => b.examples).slice(0, 5),
    cost: mergeCosts(rounds.map((b) => b.cost)),
  };
}

/** Progress on stderr, so a slow phase shows while the run goes on. */
export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  console.error(`bench:   ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

/** One table row; `floor` gives the ratio to the bare bot. */
export function row(name: string, m: Measured, floor?: Measured) {
  const p = (values: number[], q: number) => round(pct(values, q), 1);
  const serial = pct(m.serial.latencies, 50);
  const bursts = [m.instant, m.limited];
  return {
    case: name,
    serial_p50_ms: round(serial, 1),
    serial_p99_ms: p(m.serial.latencies, 99),
    serial_x_bare: floor ? round(serial / pct(floor.serial.latencies, 50), 2) : '',
    first_sign_p50_ms: m.serial.firstSign.length ? p(m.serial.firstSign, 50) : '',
    burst_per_s: Math.round(m.instant.updatesPerSecond),
    burst_x_bare: floor ? round(m.instant.updatesPerSecond / floor.instant.updatesPerSecond, 2) : '',
    cpu_ms_per_answer: round(m.instant.cost.botCpuMs),
    fakes_cpu_ms: round(m.instant.cost.fakesCpuMs),
    stream_first_vs_chunk_p50_ms: p(m.streamed.firstVsChunk, 50),
    stream_reply_p50_ms: p(m.streamed.reply, 50),
    limited_per_s: round(m.limited.updatesPerSecond, 1),
    'limited_429/sends': `${m.limited.tooMany}/${m.limited.sends} (${round((100 * m.limited.tooMany) / Math.max(1, m.limited.sends), 1)}%)`,
    idle_cpu_pct_then_settled: m.idleCpuPercent.map((v) => round(v, 2)).join(' / '),
    'lost/dup/unexp/reord': [
      sum(bursts, (b) => b.lost),
      sum(bursts, (b) => b.duplicated),
      sum(bursts, (b) => b.unexpected),
      sum(bursts, (b) => b.reorderedChats),
    ].join('/'),
    'failed_calls/dropped': `${m.failedCalls}/${m.droppedByFake}`,
    rss_mb: Math.round(m.limited.cost.after.rssMb),
    // The most the process held at once (VmHWM). Not compared with the bare bot here: see peakRss() in bot.ts.
    peak_rss_mb: Math.round(m.limited.cost.after.peakRssMb),
  };
}

const sum = <T>(items: T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);

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
