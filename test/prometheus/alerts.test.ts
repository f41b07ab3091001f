/**
 * The shipped alert rules load in Prometheus (`promtool check rules`) and fire when they should,
 * and only then (`promtool test rules` over alerts.test.yml beside this file). promtool comes with
 * Debian's `prometheus` package; .ci/run installs it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES } from '../helpers/promql.js';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));

describe('alert rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', ALERT_RULES]);
    expect(stdout).toMatch(/SUCCESS: 8 rules found/);
  });

  it('pass their promtool unit tests', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: HERE });
    expect(stdout).toMatch(/SUCCESS/);
  });
});
