/**
 * The GitHub Actions workflow cannot run here, so this reads it as text and holds it to what it
 * promises: the engines floor and the image's Node, the services the tests need, the image built
 * with a cache and run, promtool and the metric-name test, the coverage upload and the audit,
 * with actions at current majors. YAML syntax itself is checked by `prettier --check` (npm run lint),
 * which parses every .yml file; there is no YAML parser among the dependencies to read its shape.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const WORKFLOW = fs.readFileSync(new URL('../../.github/workflows/ci.yml', import.meta.url), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

/** The lowest major of each action this workflow may use. */
const CURRENT_MAJORS: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 4,
  'docker/setup-buildx-action': 3,
  'docker/build-push-action': 6,
};

describe('the CI workflow', () => {
  it('tests the engines floor and Node 24, with PostgreSQL and Redis', () => {
    const floor = /^>=(\d+\.\d+)\.0$/.exec(PACKAGE.engines.node)?.[1];
    expect(floor).toBeDefined();
    expect(WORKFLOW).toContain(`node: ['${floor}', '24']`);
    expect(WORKFLOW).toMatch(/^ {6}postgres:\n {8}image: postgres:/m);
    expect(WORKFLOW).toMatch(/^ {6}redis:\n {8}image: redis:/m);
    expect(WORKFLOW).toContain('run: bash .ci/run');
  });

  it('builds the image with a cache and runs the CLI inside it', () => {
    expect(WORKFLOW).toMatch(/cache-from: type=gha\n\s+cache-to: type=gha,mode=max/);
    expect(WORKFLOW).toContain('docker run --rm botctl:ci --version');
    expect(WORKFLOW).toContain('docker run --rm botctl:ci doctor --json');
  });

  it('checks the alert rules, the metric names, uploads coverage and audits production dependencies', () => {
    expect(WORKFLOW).toContain('promtool check rules templates/prometheus/alerts.yml');
    expect(WORKFLOW).toContain('promtool test rules alerts.test.yml');
    expect(fs.existsSync(new URL('../e2e/metric-names.test.ts', import.meta.url))).toBe(true);
    expect(WORKFLOW).toContain('npx vitest run test/e2e/metric-names.test.ts');
    expect(WORKFLOW).toMatch(
      /uses: actions\/upload-artifact@v\d+\n\s+with:\n(?:\s+.*\n)*?\s+path: coverage\//,
    );
    expect(WORKFLOW).toContain('npm audit --omit=dev --audit-level=high');
  });

  it('uses every action at a current major version', () => {
    const used = [...WORKFLOW.matchAll(/uses: ([\w.-]+\/[\w.-]+)@v(\d+)/g)].map(([, name, major]) => ({
      name: name!,
      major: Number(major),
    }));
    expect(used.length).toBeGreaterThan(5);
    for (const { name, major } of used) {
      expect(Object.keys(CURRENT_MAJORS), name).toContain(name);
      expect(major, name).toBeGreaterThanOrEqual(CURRENT_MAJORS[name]!);
    }
  });
});
