/**
 * The PromQL that ships in templates/ (the Grafana dashboard and the Prometheus alert rules), and
 * the metric names it reads, so a test can hold them against a live /metrics scrape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
export const DASHBOARD = path.join(TEMPLATES, 'grafana/botctl.json');
export const ALERT_RULES = path.join(TEMPLATES, 'prometheus/alerts.yml');

interface Target {
  expr: string;
}
interface Panel {
  title: string;
  targets?: Target[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { query?: string | { query: string } }[] };
}

export function dashboardQueries(): { title: string; expr: string }[] {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const panels = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ title: panel.title, expr: target.expr })),
  );
  const variables = dashboard.templating.list
    .map((variable) => (typeof variable.query === 'object' ? variable.query.query : undefined))
    .filter((query): query is string => query !== undefined && query.startsWith('label_values('))
    // label_values(metric, label) reads the metric like a query would.
    .map((query) => ({ title: 'variable', expr: query.replace(/^label_values\(([^,]+),.*$/, '$1') }));
  return [...panels, ...variables];
}

/** Each rule of alerts.yml as the lines say it (the file keeps one rule's fields on single lines). */
export function alertRules(): { alert: string; expr: string; summary: string; runbook: string }[] {
  const rules: { alert: string; expr: string; summary: string; runbook: string }[] = [];
  for (const line of fs.readFileSync(ALERT_RULES, 'utf8').split('\n')) {
    const alert = /^\s*- alert: (\S+)$/.exec(line)?.[1];
    if (alert) rules.push({ alert, expr: '', summary: '', runbook: '' });
    const field = /^\s*(expr|summary|runbook): (.*)$/.exec(line);
    const rule = rules.at(-1);
    if (field && rule) rule[field[1] as 'expr'] = field[2]!.replace(/^'(.*)'$/, '$1');
  }
  return rules;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || KEYWORDS.has(name!)) continue;
    names.add(name!);
  }
  return [...names];
}

/** Every series name a Prometheus text exposition offers, histogram and summary parts included. */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const part of ['_bucket', '_sum', '_count']) names.add(name! + part);
    if (type === 'summary') for (const part of ['_sum', '_count']) names.add(name! + part);
  }
  return names;
}
