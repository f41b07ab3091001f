/**
 * Every metric the shipped Grafana dashboard and Prometheus alert rules read exists in a running
 * daemon's /metrics: a renamed or dropped metric would otherwise leave an empty panel or an alert
 * that can never fire, and nobody would notice until it mattered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { alertRules, dashboardQueries, exposedNames, metricNames } from '../helpers/promql.js';

/** Made by Prometheus itself for each scrape target, never by the target. */
const PROMETHEUS_SYNTHESIZED = new Set(['up']);

let h: Harness;
let scrape: string;
beforeAll(async () => {
  h = await startHarness();
  const response = await fetch(`http://127.0.0.1:${h.config.httpPort}/metrics`);
  expect(response.status).toBe(200);
  scrape = await response.text();
});
afterAll(async () => {
  await h?.close();
});

describe('metric names in the dashboard and alert rules', { timeout: 60_000 }, () => {
  it('finds the metric names in PromQL, and none in functions, labels or keywords', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, model) (rate(a_bucket{code="x", instance=~"$i"}[5m]))) / clamp_min(b, 1) > 3 and c offset 5m',
      ).sort(),
    ).toEqual(['a_bucket', 'b', 'c']);
  });

  it('every metric the dashboard reads is exposed', () => {
    const exposed = exposedNames(scrape);
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(15);
    const missing = queries.flatMap(({ title, expr }) =>
      metricNames(expr)
        .filter((name) => !exposed.has(name))
        .map((name) => `${title}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('every metric the alert rules read is exposed, and each rule has a summary and a botctl runbook', () => {
    const exposed = exposedNames(scrape);
    const rules = alertRules();
    expect(rules.map((rule) => rule.alert)).toHaveLength(8);
    const missing = rules.flatMap(({ alert, expr }) =>
      metricNames(expr)
        .filter((name) => !exposed.has(name) && !PROMETHEUS_SYNTHESIZED.has(name))
        .map((name) => `${alert}: ${name}`),
    );
    expect(missing).toEqual([]);
    for (const rule of rules) {
      expect(rule.expr, rule.alert).not.toBe('');
      expect(rule.summary, rule.alert).not.toBe('');
      expect(rule.runbook, rule.alert).toMatch(/`botctl [a-z]/);
    }
  });

  it('fills the scrape-time gauges from the running daemon', () => {
    const value = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(scrape)?.[1]);
    expect(scrape).toMatch(/^botctl_build_info\{version="\d+\.\d+\.\d+[^"]*",node="\d+\.\d+\.\d+"\} 1$/m);
    expect(value('botctl_inbox_pending')).toBe(0);
    // No backup in this data dir yet: 0, which the 26 h alert reads as "never".
    expect(value('botctl_last_backup_timestamp_seconds')).toBe(0);
    expect(value('botctl_data_dir_free_bytes')).toBeGreaterThan(0);
    expect(value('botctl_data_dir_size_bytes')).toBeGreaterThanOrEqual(value('botctl_data_dir_free_bytes'));
    expect(value('botctl_gemini_circuit_open')).toBe(0);
    expect(scrape).toMatch(/^botctl_nodejs_eventloop_lag_p99_seconds \S+$/m);
  });
});
