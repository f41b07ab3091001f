/**
 * The admin API end to end: `botctl start` as a process with BOTCTL_ADMIN=on, a key made by
 * `botctl api-keys create` (another process), and a ban through the API over real HTTP: the
 * daemon stops answering that user at once (one notice, then silence), and the audit log says
 * which key did it from where.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { parseEnvelope, runCli, spawnCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/ports.js';

const fakes = useDaemonFakes();

describe('admin API in a running daemon (process)', { timeout: 180_000 }, () => {
  it('bans a user through the API with a key made by the CLI; the bot stops answering them', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-api-e2e-'));
    const fakesEnv = await daemonEnv(fakes);
    const env = { BOTCTL_DATA_DIR: dataDir, ...fakesEnv, BOTCTL_ADMIN: 'on' };
    expect((await runCli(['migrate', 'up'], env)).exitCode).toBe(0);
    const created = await runCli(['api-keys', 'create', '--name', 'ops', '--scope', 'write', '--json'], env);
    expect(created.exitCode, created.stderr).toBe(0);
    const { key, id } = parseEnvelope(created.stdout).result as { key: string; id: number };

    fakes.gemini.respond = (req) => ({ text: `echo: ${req.lastUserText}` });
    const daemon = spawnCli(['start'], env);
    try {
      const base = `http://127.0.0.1:${fakesEnv.BOTCTL_HTTP_PORT}/api/v1`;
      await waitFor(async () => expect((await fetch(`${base}/openapi.json`)).status).toBe(200), 60_000);
      const chat = 7301;
      fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: chat, text: 'hello' }));
      await waitFor(() => expect(fakes.telegram.sentMessages(chat)).toEqual(['echo: hello']), 30_000);

      const auth = { authorization: `Bearer ${key}` };
      expect((await fetch(`${base}/users/${chat}/ban`, { method: 'POST' })).status).toBe(401);
      const ban = await fetch(`${base}/users/${chat}/ban`, { method: 'POST', headers: auth });
      expect(ban.status).toBe(200);
      expect(await ban.json()).toMatchObject({ changed: true, from: 'active', to: 'banned' });

      fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: chat, text: 'still there?' }));
      await waitFor(() => expect(fakes.telegram.sentMessages(chat)).toHaveLength(2), 30_000);
      expect(fakes.telegram.sentMessages(chat)[1]).toMatch(/can no longer use this bot/);
      fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: chat, text: 'hello??' }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(fakes.telegram.sentMessages(chat)).toHaveLength(2);
      expect(fakes.gemini.requests.some((r) => r.lastUserText === 'hello??')).toBe(false);

      const audit = await fetch(`${base}/audit`, { headers: auth });
      expect(((await audit.json()) as { entries: unknown[] }).entries[0]).toMatchObject({
        actor: `api:${id}`,
        action: 'user.status',
        target: `user:${chat}`,
        address: '127.0.0.1',
        details: { from: 'active', to: 'banned' },
      });
      const listed = await runCli(['api-keys', 'list', '--json'], env);
      const keys = (parseEnvelope(listed.stdout).result as { keys: { lastUsedAt: string | null }[] }).keys;
      expect(keys[0]!.lastUsedAt).not.toBeNull();
    } finally {
      daemon.kill('SIGTERM');
      const result = await daemon;
      expect(result.exitCode, String(result.stderr).slice(-2000)).toBe(0);
      expect(String(result.stdout) + String(result.stderr)).not.toContain(key);
    }
  });
});
