/**
 * /admin in the daemon (in-process, so coverage sees the wiring): an id in `admins` gets a
 * one-time link in a chat without a preview, anyone else a refusal; the link opens a session
 * over real HTTP behind a trusted proxy (trustProxy loopback: the audit log gets the client's
 * X-Forwarded-For address, and X-Forwarded-Proto https makes the cookie Secure), and the daemon
 * serves the built panel at /admin/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

const ADMIN = 7600;
const CHATTER = 7601;

describe('/admin and the panel in a running daemon', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { BOTCTL_ADMIN: 'on', BOTCTL_ADMINS: String(ADMIN), BOTCTL_TRUST_PROXY: 'loopback' },
    });
  }, 60_000);
  afterAll(async () => h?.close());

  it('gives admins a sign-in link and others a refusal; the link signs in once behind the proxy', async () => {
    h.telegram.pushUpdate(h.telegram.updates.command({ chatId: CHATTER, command: 'admin' }));
    await waitFor(
      () =>
        expect(h.telegram.sentMessages(CHATTER)).toEqual(["This command is for the bot's administrators."]),
      30_000,
    );

    h.telegram.pushUpdate(
      h.telegram.updates.command({ chatId: ADMIN, command: 'admin', languageCode: 'ru' }),
    );
    await waitFor(() => expect(h.telegram.sentMessages(ADMIN)).toHaveLength(1), 30_000);
    const text = h.telegram.sentMessages(ADMIN)[0]!;
    expect(text).toMatch(/ссылка для входа/);
    const url = /(http:\/\/\S+)/.exec(text)![1]!;
    const origin = `http://127.0.0.1:${h.daemon.port}`;
    expect(url.startsWith(`http://127.0.0.1:${h.config.httpPort}/admin/#signin=`)).toBe(true);
    const send = h.telegram.calls.find(
      (c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(ADMIN),
    );
    expect(send?.params.link_preview_options).toEqual({ is_disabled: true });

    const token = url.split('#signin=')[1]!;
    const open = () =>
      fetch(`${origin}/api/v1/session`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': '198.51.100.23',
          'x-forwarded-proto': 'https',
          host: 'bot.example.com',
        },
        body: JSON.stringify({ token }),
      });
    const opened = await open();
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ role: 'owner', scope: 'admin' });
    expect(opened.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Secure$/);
    expect((await open()).status).toBe(401);

    const cookie = /botctl_session=[\w-]+/.exec(opened.headers.get('set-cookie')!)![0];
    const audit = await fetch(`${origin}/api/v1/audit`, { headers: { cookie } });
    const [signIn, link] = ((await audit.json()) as { entries: Record<string, unknown>[] }).entries;
    expect(signIn).toMatchObject({
      action: 'admin.sign-in',
      address: '198.51.100.23',
      details: { role: 'owner', link: `user:${ADMIN}` },
    });
    expect(link).toMatchObject({ action: 'admin.link', actor: `user:${ADMIN}` });

    const panel = await fetch(`${origin}/admin/`);
    expect(panel.status).toBe(200);
    expect(panel.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await panel.text()).toMatch(
      /<script type="module" crossorigin src="\/admin\/assets\/index-[\w-]+\.js"><\/script>/,
    );
  });
});
