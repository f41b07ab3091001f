/** Request latency over real HTTP: one request at a time, warm-up first, percentiles in ms. */
import { pct, round } from './stats.js';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * GETs `url` `count` times after `warmup` untimed ones, each body read to the end; a status other
 * than 200 stops the benchmark (a refused request would time the refusal, not the work).
 */
export async function timeGets(
  url: string,
  headers: Record<string, string>,
  { count, warmup = 3 }: { count: number; warmup?: number },
): Promise<Latency> {
  const ask = async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < warmup; i += 1) await ask();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await ask();
    times.push(performance.now() - start);
  }
  return { p50: round(pct(times, 50), 1), p95: round(pct(times, 95), 1), p99: round(pct(times, 99), 1) };
}
