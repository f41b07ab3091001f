/** Small numeric helpers for the benchmark tables. */

/** The p-th percentile (nearest rank) of `values`; NaN for none. */
export function pct(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Rounds for a table cell. */
export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds since `from` (a performance.now()), to two decimals. */
export const secondsSince = (from: number): number => round((performance.now() - from) / 1000);
