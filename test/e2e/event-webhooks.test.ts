/**
 * Event webhooks end to end, in this process (coverage sees the worker, the sender and the
 * commands): the daemon against the fake Telegram and Gemini, two endpoints configured. One is a
 * loopback receiver that verifies every signature and answers 500 once; the other is down.
 * A new user's message -> user.created and message.answered, signed, with ids and counts only,
 * the 500 retried with the same event id; the endpoint that is down -> dead after its attempts,
 * an operator alert, `events list`; brought up -> `events retry` redelivers. These tests test the
 * backoff, so its base is short (100 ms); the attempts are 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import BackupCreate from '../../src/commands/backup/create.js';
import Broadcast from '../../src/commands/broadcast/index.js';
import ConfigGet from '../../src/commands/config/get.js';
import EventsList from '../../src/commands/events/list.js';
import EventsRetry from '../../src/commands/events/retry.js';
import EventsTest from '../../src/commands/events/test.js';
import UsersBan from '../../src/commands/users/ban.js';
import UsersUnban from '../../src/commands/users/unban.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver.js';
import { freePort, waitFor } from '../helpers/ports.js';
import { runInProcess } from '../helpers/run-command.js';
import { startSlackReceiver, type SlackReceiver } from '../helpers/slack-receiver.js';

const CRM_SECRET = 'crm-secret-0123456789abcdef';
const AUDIT_SECRET = 'audit-secret-0123456789abcdef';
const USER = 4242;
const QUESTION = 'my private question about my divorce';

let h: Harness;
let crm: EventReceiver;
let audit: EventReceiver | undefined;
let auditPort: number;
let slack: SlackReceiver;
let webhooks: string;

beforeAll(async () => {
  crm = await startEventReceiver(CRM_SECRET);
  crm.status = (n) => (n === 0 ? 500 : 200);
  slack = await startSlackReceiver();
  auditPort = await freePort(); // nothing listens there yet
  webhooks = JSON.stringify([
    { name: 'crm', url: crm.url, secret: CRM_SECRET },
    {
      name: 'audit',
      url: `http://127.0.0.1:${auditPort}/in`,
      secret: AUDIT_SECRET,
      events: ['user.created'],
    },
  ]);
  h = await startHarness({
    env: {
      BOTCTL_EVENT_WEBHOOKS: webhooks,
      BOTCTL_EVENT_RETRY_BASE_MS: '100',
      BOTCTL_EVENT_MAX_ATTEMPTS: '3',
      BOTCTL_SLACK_WEBHOOK_URL: slack.url,
      // Two messages a day, so the third is refused (quota.exceeded).
      BOTCTL_QUOTAS: '{"user":{"messagesPerDay":2}}',
    },
  });
  h.gemini.respond = (request) => ({ text: `Answer: ${request.lastUserText}` });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([crm?.close(), audit?.close(), slack?.close()]);
  vi.unstubAllEnvs();
});

/** A command class run here, against the harness's database and endpoints. */
function cli(command: Parameters<typeof runInProcess>[0], argv: string[]) {
  vi.stubEnv('BOTCTL_DATABASE_URL', h.db.url);
  vi.stubEnv('BOTCTL_EVENT_WEBHOOKS', webhooks);
  vi.stubEnv('BOTCTL_TELEGRAM_TOKEN', TEST_TOKEN);
  vi.stubEnv('BOTCTL_TELEGRAM_API_ROOT', h.telegram.apiRoot);
  return runInProcess(command, [...argv, '--data-dir', h.dataDir]);
}

describe('event webhooks', { timeout: 60_000 }, () => {
  it('posts user.created and message.answered, signed, ids and counts only; a 500 is retried with the same id', async () => {
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: USER, userId: USER, text: QUESTION }));
    await waitFor(() => expect(h.telegram.sentMessages(USER)).toEqual([`Answer: ${QUESTION}`]), 15_000, 50);
    await waitFor(
      () =>
        expect(crm.accepted().map((d) => d.type)).toEqual([
          'user.created',
          'conversation.started',
          'message.answered',
        ]),
      15_000,
      50,
    );

    const user = (await h.db.repos.users.getByTelegramId(USER))!;
    const [first, retried] = crm.requests;
    expect(first!.answered).toBe(500);
    expect(retried).toMatchObject({ id: first!.id, type: 'user.created', answered: 200 });
    expect(crm.requests.every((d) => d.signatureValid)).toBe(true);
    const [joined, started, answered] = crm.accepted();
    expect(joined).toMatchObject({ version: 1, data: { user_id: user.id, telegram_id: USER } });
    expect(Date.parse(joined!.occurred_at)).not.toBeNaN();
    const conversation = (await h.db.repos.conversations.listByUser(user.id))[0]!;
    const [, answer] = await h.db.repos.conversations.getContext(conversation.id, 2);
    expect(started!.data).toEqual({
      conversation_id: conversation.id,
      user_id: user.id,
      telegram_id: USER,
      chat_id: USER,
      thread_id: null,
    });
    expect(answered!.data).toEqual({
      user_id: user.id,
      telegram_id: USER,
      conversation_id: conversation.id,
      message_id: answer!.id,
      tokens_in: answer!.tokensIn,
      tokens_out: answer!.tokensOut,
      latency_ms: answer!.latencyMs,
      model: answer!.model,
    });
    // Never what anyone wrote, never a secret.
    const everything = JSON.stringify(crm.requests) + JSON.stringify(h.logs.lines);
    for (const secret of [QUESTION, 'Answer:', CRM_SECRET, AUDIT_SECRET])
      expect(everything).not.toContain(secret);
  });

  it('gives up on an endpoint that is down (dead, alert), and `events retry` delivers it once it is up', async () => {
    const dead = await waitFor(
      async () => {
        const [row] = await h.db.repos.outbox.list({ status: 'dead' });
        expect(row).toBeDefined();
        return row!;
      },
      20_000,
      50,
    );
    expect(dead).toMatchObject({ endpoint: 'audit', type: 'user.created', attempts: 3 });
    expect(dead.lastError).toMatch(/^not reachable \(ECONNREFUSED\)$/);
    await waitFor(
      () => expect(slack.posts.map((p) => p.text).join('\n')).toMatch(/given up after 3 attempts/),
      10_000,
      50,
    );
    expect(JSON.stringify(slack.posts)).not.toContain(AUDIT_SECRET);

    const metrics = await (await fetch(`http://127.0.0.1:${h.daemon.port}/metrics`)).text();
    expect(metrics).toMatch(/^botctl_event_deliveries_total\{outcome="dead"\} 1$/m);
    expect(metrics).toMatch(/^botctl_event_deliveries_total\{outcome="failed"\} 3$/m);
    expect(metrics).toMatch(/^botctl_events\{status="dead"\} 1$/m);

    const listed = await cli(EventsList, ['--status', 'dead', '--json']);
    expect(listed.exitCode).toBe(0);
    const { events, counts } = JSON.parse(listed.stdout).result;
    expect(events).toEqual([
      expect.objectContaining({ id: dead.id, endpoint: 'audit', status: 'dead', attempts: 3 }),
    ]);
    expect(counts).toMatchObject({ dead: 1 });
    const human = await cli(EventsList, []);
    expect(human.stdout).toMatch(new RegExp(`^${dead.id} +user\\.created +audit +dead +3 `, 'm'));
    expect(human.stdout).not.toContain(AUDIT_SECRET);

    audit = await startEventReceiver(AUDIT_SECRET, auditPort);
    const retried = await cli(EventsRetry, [String(dead.id)]);
    expect(retried.stdout).toContain(`Delivery ${dead.id} (user.created to audit) is pending again.`);
    await waitFor(() => expect(audit!.accepted()).toHaveLength(1), 10_000, 50);
    // The same event as the other endpoint got, signed with this endpoint's secret.
    expect(audit.requests[0]).toMatchObject({ id: dead.eventId, type: 'user.created', signatureValid: true });
    expect(audit.requests[0]!.id).toBe(crm.accepted()[0]!.id);

    expect((await cli(EventsRetry, ['--all-dead'])).stdout).toContain('No dead deliveries.');
    const notDead = await cli(EventsRetry, [String(dead.id)]);
    expect(notDead.exitCode).toBe(2);
    expect((await cli(EventsRetry, ['999999'])).exitCode).toBe(1);
    expect((await cli(EventsRetry, [])).exitCode).toBe(2);
    expect((await cli(EventsRetry, ['abc'])).exitCode).toBe(2);
  });

  it('reports bans and unbans from the CLI, and `events test` reaches each endpoint', async () => {
    expect((await cli(UsersBan, [String(USER)])).exitCode).toBe(0);
    expect((await cli(UsersUnban, [String(USER)])).exitCode).toBe(0);
    await waitFor(
      () =>
        expect(crm.accepted().map((d) => d.type)).toEqual(
          expect.arrayContaining(['user.banned', 'user.unbanned']),
        ),
      10_000,
      50,
    );
    const types = crm.accepted().map((d) => d.type);
    expect(types.indexOf('user.banned')).toBeLessThan(types.indexOf('user.unbanned'));
    // audit takes user.created only.
    expect(audit!.requests.map((d) => d.type)).toEqual(['user.created']);

    const tested = await cli(EventsTest, ['--json']);
    expect(tested.exitCode).toBe(0);
    expect(JSON.parse(tested.stdout).result.endpoints).toEqual([
      { endpoint: 'crm', ok: true, error: null },
      { endpoint: 'audit', ok: true, error: null },
    ]);
    expect(crm.requests.at(-1)).toMatchObject({ type: 'test', signatureValid: true });
    expect(audit!.requests.at(-1)).toMatchObject({ type: 'test', signatureValid: true });

    crm.status = () => 503;
    const failing = await cli(EventsTest, []);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('FAILED   crm: HTTP 503');
    crm.status = () => 200;

    const shown = await cli(ConfigGet, ['eventWebhooks']);
    expect(shown.stdout).toContain(crm.url);
    expect(shown.stdout).toContain('********');
    expect(shown.stdout + shown.stderr).not.toContain(CRM_SECRET);
  });

  it('quota.exceeded once a day however often the quota refuses; commands store theirs for the daemon', async () => {
    const typesNow = () => crm.accepted().map((d) => d.type);
    const before = crm.accepted().length;
    for (const text of ['second', 'third', 'fourth']) {
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: USER, userId: USER, text }));
    }
    await waitFor(() => expect(h.telegram.sentMessages(USER)).toHaveLength(4), 15_000, 50);
    await waitFor(() => expect(typesNow().slice(before)).toContain('quota.exceeded'), 10_000, 50);
    const quota = crm.accepted().find((d) => d.type === 'quota.exceeded')!;
    expect(quota.data).toMatchObject({ telegram_id: USER, quota: 'messages' });

    const backup = await cli(BackupCreate, ['--json']);
    expect(backup.exitCode, backup.stderr).toBe(0);
    const { id: backupId } = JSON.parse(backup.stdout).result;
    const sent = await cli(Broadcast, ['--text', 'Hello all', '--json']);
    expect(sent.exitCode, sent.stderr).toBe(0);
    const { id: broadcastId } = JSON.parse(sent.stdout).result;
    await waitFor(
      () => expect(typesNow()).toEqual(expect.arrayContaining(['backup.finished', 'broadcast.finished'])),
      10_000,
      50,
    );
    expect(crm.accepted().find((d) => d.type === 'backup.finished')!.data).toMatchObject({
      backup_id: backupId,
      encrypted: false,
      verified: true,
    });
    expect(crm.accepted().find((d) => d.type === 'broadcast.finished')!.data).toEqual({
      broadcast_id: broadcastId,
      sent: 1,
      blocked: 0,
      failed: 0,
    });
    // Refused twice, told once.
    expect(typesNow().filter((type) => type === 'quota.exceeded')).toHaveLength(1);
    expect(crm.requests.every((d) => d.signatureValid)).toBe(true);
  });
  it('posts user.blocked_bot with the status change when Telegram says the user blocked the bot', async () => {
    const blocker = 4343;
    const user = { id: blocker, is_bot: false, first_name: 'Blocker' };
    const member = (from: string, to: string) =>
      ({
        my_chat_member: {
          chat: { id: blocker, type: 'private' as const, first_name: 'Blocker' },
          from: user,
          date: Math.floor(Date.now() / 1000),
          old_chat_member: { status: from, user: h.telegram.botInfo },
          new_chat_member: { status: to, user: h.telegram.botInfo },
        },
      }) as never;
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: blocker, userId: blocker, text: 'hi' }));
    await waitFor(() => expect(h.telegram.sentMessages(blocker)).toHaveLength(1), 15_000, 50);
    h.telegram.pushUpdate(member('member', 'kicked'));
    const stored = await waitFor(
      async () => {
        const row = await h.db.repos.users.getByTelegramId(blocker);
        expect(row?.status).toBe('blocked');
        return row!;
      },
      15_000,
      50,
    );
    await waitFor(
      () => expect(crm.accepted().filter((d) => d.type === 'user.blocked_bot')).toHaveLength(1),
      15_000,
      50,
    );
    const blocked = crm.accepted().find((d) => d.type === 'user.blocked_bot')!;
    expect(blocked).toMatchObject({
      signatureValid: true,
      data: { user_id: stored.id, telegram_id: blocker },
    });
    // Coming back is a status change too, but no event of this kind.
    h.telegram.pushUpdate(member('kicked', 'member'));
    await waitFor(
      async () => expect((await h.db.repos.users.getByTelegramId(blocker))?.status).toBe('active'),
      15_000,
      50,
    );
    expect(crm.accepted().filter((d) => d.type === 'user.blocked_bot')).toHaveLength(1);
  });
  it('stores backup.failed when a backup fails, and the daemon sends it', async () => {
    const file = path.join(h.dataDir, 'not-a-directory');
    fs.writeFileSync(file, '');
    vi.stubEnv('BOTCTL_BACKUP_DIR', path.join(file, 'backups'));
    const failed = await cli(BackupCreate, ['--json']);
    expect(failed.exitCode).not.toBe(0);
    await waitFor(
      () => expect(crm.accepted().filter((d) => d.type === 'backup.failed')).toHaveLength(1),
      15_000,
      50,
    );
    const event = crm.accepted().find((d) => d.type === 'backup.failed')!;
    expect(event).toMatchObject({ signatureValid: true, data: { code: expect.stringMatching(/^[A-Z_]+$/) } });
  });
});
