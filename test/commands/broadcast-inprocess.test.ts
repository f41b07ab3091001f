/**
 * The broadcast command classes run in-process (coverage sees them), including the terminal
 * paths a piped process never takes: the progress line and the human summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import BroadcastCancel from '../../src/commands/broadcast/cancel.js';
import Broadcast from '../../src/commands/broadcast/index.js';
import BroadcastList from '../../src/commands/broadcast/list.js';
import BroadcastResume from '../../src/commands/broadcast/resume.js';
import BroadcastStatus from '../../src/commands/broadcast/status.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';
import { MIXED_AUDIENCE, plainUsers, seedUsers } from '../helpers/broadcast-users.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runInProcess, type Runnable } from '../helpers/run-command.js';

let telegram: FakeTelegram;
let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
});
afterAll(async () => telegram?.close());
beforeEach(async () => {
  telegram.reset();
  db = await openTestDatabase('sqlite');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-bci-'));
  vi.stubEnv('BOTCTL_DATABASE_URL', db.url);
  vi.stubEnv('BOTCTL_TELEGRAM_TOKEN', TEST_TOKEN);
  vi.stubEnv('BOTCTL_TELEGRAM_API_ROOT', telegram.apiRoot);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await db?.cleanup();
});

const run = (command: Runnable, argv: string[], options: { tty?: boolean } = {}) =>
  runInProcess(command, [...argv, '--data-dir', dataDir], options);

describe('broadcast commands in a terminal (in-process)', () => {
  it('dry run and send print human lines and a progress bar with ETA', async () => {
    await seedUsers(db.repos, MIXED_AUDIENCE);
    const dry = await run(Broadcast, ['--text', 'hi', '--dry-run', '--role', 'admin'], { tty: true });
    expect(dry.stdout).toContain('Dry run: 1 recipient(s) would get this message; nothing was sent.');
    const sent = await run(Broadcast, ['--id', 'tty', '--text', 'Hello', '--rate', '50'], { tty: true });
    expect(sent.exitCode).toBe(0);
    expect(sent.stdout).toContain('Sending broadcast tty at 50/s');
    expect(sent.stdout).toMatch(/\r\[#+-*\] \d+\/5 {2}sent \d+ blocked 0 failed 0 {2}ETA \d+s/);
    expect(sent.stdout).toContain('Broadcast tty: done (finished)');
    expect(sent.stdout).toContain('recipients 5: sent 5, blocked 0, failed 0, pending 0');
    expect(telegram.sentMessages()).toHaveLength(5);
    await db.repos.broadcasts.create({
      id: 'later',
      text: 't',
      parseMode: null,
      photo: null,
      audience: {},
      ratePerSecond: 5,
    });
    const cancel = await run(BroadcastCancel, ['later'], { tty: true });
    expect(cancel.stdout).toContain('Broadcast later cancelled: 0 sent, 0 not sent.');
  });

  it('status, list, resume and cancel speak plainly; a crash-ambiguous delivery is called out', async () => {
    const [a, b] = await seedUsers(db.repos, plainUsers(3, 800_000));
    const broadcast = await db.repos.broadcasts.create({
      id: 'x',
      text: 'one',
      parseMode: null,
      photo: null,
      audience: {},
      ratePerSecond: 100,
    });
    await db.repos.broadcasts.enqueueRecipients(broadcast.id, [a!.id, b!.id]);
    await db.repos.broadcasts.setStatus(broadcast.id, 'running');
    await db.repos.broadcasts.markDelivery(broadcast.id, a!.id, 'sending');
    const status = await run(BroadcastStatus, ['x'], { tty: true });
    expect(status.stdout).toContain('x  running');
    expect(status.stdout).toContain('pending 1, sending 1, sent 0');
    const resumed = await run(BroadcastResume, ['x'], { tty: true });
    expect(resumed.stdout).toContain('Resuming broadcast x');
    expect(resumed.stdout).toContain('1 left unknown by a crash were not resent');
    expect(telegram.sentMessages()).toHaveLength(1);
    const list = await run(BroadcastList, [], { tty: true });
    expect(list.stdout).toMatch(/x {2}done {5} {2}1\/2 sent {2}0 pending {2}one/);
    const cancel = await run(BroadcastCancel, ['x']);
    expect(cancel.exitCode).toBe(2);
    expect(cancel.error?.message).toContain('broadcast x has already finished');
  });

  it('refuses usage errors with one line and exit 2, and a locked broadcast with exit 75', async () => {
    const empty = await run(Broadcast, ['--text', ' ']);
    expect(empty.exitCode).toBe(2);
    expect(empty.error?.message).toContain('nothing to send');
    const noFile = await run(Broadcast, ['--file', path.join(dataDir, 'missing.md')]);
    expect(noFile.error?.message).toContain('cannot read');
    const noPhoto = await run(Broadcast, ['--photo', './missing/banner.png', '--text', 'x']);
    expect(noPhoto.error?.message).toContain('photo ./missing/banner.png does not exist');
    const lockDir = path.join(dataDir, 'locks');
    fs.mkdirSync(lockDir, { recursive: true });
    fs.writeFileSync(
      path.join(lockDir, 'broadcast.lock'),
      JSON.stringify({ pid: process.pid, host: os.hostname(), since: 'now' }),
    );
    const locked = await run(BroadcastResume, ['x', '--json']);
    expect(locked.exitCode).toBe(75);
    expect(locked.stdout).toContain('"code":"LOCKED"');
    expect(await db.repos.broadcasts.list()).toEqual([]);
    expect(telegram.calls).toEqual([]);
  });

  it('reads the message from a file and a photo by path, reporting as one JSON line when piped', async () => {
    await seedUsers(db.repos, plainUsers(2, 810_000));
    const file = path.join(dataDir, 'notice.md');
    fs.writeFileSync(file, '# News\n\nWe **shipped**.');
    const photo = path.join(dataDir, 'banner.png');
    fs.writeFileSync(photo, Buffer.from('89504e470d0a1a0a', 'hex'));
    const sent = await run(Broadcast, ['--file', file, '--photo', photo]);
    const line = JSON.parse(sent.stdout.trim()) as { sent: number; status: string };
    expect(line).toMatchObject({ sent: 2, status: 'done' });
    expect(telegram.callsOf('sendPhoto')).toHaveLength(2);
    expect(telegram.sentMessages(810_001)).toEqual(['News\n\nWe shipped.']);
  });
});
