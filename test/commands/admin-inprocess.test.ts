/**
 * `botctl admin link|sessions|revoke` in-process on a migrated SQLite database: the link's URL
 * and --json shape, its audit row, the list, revoke by id and --all with --yes, and bad input
 * as one line with exit 2 (a --ttl outside 1m-1h, an unknown role, neither or both of an id and
 * --all, no --yes off a terminal) with nothing written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import AdminLink from '../../src/commands/admin/link.js';
import AdminRevoke from '../../src/commands/admin/revoke.js';
import AdminSessions from '../../src/commands/admin/sessions.js';
import { shapeErrors } from '../../src/cli/json-shape.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runInProcess } from '../helpers/run-command.js';

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await openTestDatabase('sqlite');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-admin-cmd-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await db?.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (command: Parameters<typeof runInProcess>[0], args: string[]) => {
  vi.stubEnv('BOTCTL_DATABASE_URL', db.url);
  vi.stubEnv('BOTCTL_HTTP_PORT', '8181');
  return runInProcess(command, [...args, '--data-dir', dataDir]);
};
const result = (stdout: string) => (JSON.parse(stdout) as { result: Record<string, unknown> }).result;

describe('botctl admin (in-process)', () => {
  it('prints a one-time link, lists it, revokes it; audits both', async () => {
    const human = await run(AdminLink, []);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /^Sign-in link for the admin panel \(role operator, works once, until \S+\):\nhttp:\/\/127\.0\.0\.1:8181\/admin\/#signin=botctl_[\w-]{43}\n$/,
    );
    const made = await run(AdminLink, ['--role', 'viewer', '--ttl', '15m', '--json']);
    expect(made.exitCode, made.stderr).toBe(0);
    const link = result(made.stdout);
    expect(shapeErrors(link, AdminLink.jsonShape)).toEqual([]);
    expect(link.role).toBe('viewer');
    expect(Date.parse(String(link.expiresAt)) - Date.now()).toBeGreaterThan(14 * 60_000);

    const listed = await run(AdminSessions, ['--json']);
    const sessions = result(listed.stdout).sessions as { id: number; state: string; role: string }[];
    expect(shapeErrors(result(listed.stdout), AdminSessions.jsonShape)).toEqual([]);
    expect(sessions.map((s) => [s.role, s.state])).toEqual([
      ['viewer', 'link'],
      ['operator', 'link'],
    ]);
    expect((await run(AdminSessions, [])).stdout).toMatch(/^ID +ROLE +STATE.*\n2 +viewer +link +cli /);

    const one = await run(AdminRevoke, [String(sessions[0]!.id), '--yes']);
    expect(one.stdout).toBe('Revoked 1 sign-in link(s) or session(s).\n');
    const all = await run(AdminRevoke, ['--all', '--yes', '--json']);
    expect(result(all.stdout)).toEqual({ revoked: 1 });
    expect(await db.raw('select action, target from audit_log order by id')).toEqual([
      { action: 'admin.link', target: 'session:1' },
      { action: 'admin.link', target: 'session:2' },
      { action: 'admin.revoke', target: 'session:2' },
      { action: 'admin.revoke', target: 'session:*' },
    ]);
    const missing = await run(AdminRevoke, ['99', '--yes']);
    expect(missing.exitCode).toBe(1);
  });

  it.each([
    [AdminLink, ['--ttl', '30s'], /Invalid age/],
    [AdminLink, ['--ttl', '2h'], /between 1 minute and 1 hour/],
    [AdminLink, ['--role', 'boss'], /boss/],
    [AdminRevoke, ['--yes'], /Name one session id or --all/],
    [AdminRevoke, ['1', '--all', '--yes'], /Name one session id or --all/],
    [AdminRevoke, ['--all'], /pass --yes/],
  ] as const)('refuses bad input with exit 2 (%#)', async (command, args, message) => {
    const before = await db.raw('select count(*) as n from admin_sessions');
    const refused = await run(command, [...args]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr + (refused.error?.message ?? '')).toMatch(message);
    expect(await db.raw('select count(*) as n from admin_sessions')).toEqual(before);
  });
});
