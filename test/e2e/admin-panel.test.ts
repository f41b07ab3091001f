/**
 * The admin panel in headless Chromium (Debian's chromium through playwright-core), against
 * `botctl start` as a process with BOTCTL_ADMIN=on over the fake Telegram and Gemini: an admin
 * asks the bot for a link with /admin, opens it (the session cookie is HttpOnly and
 * SameSite=Strict), sees the charts drawn from real stats, bans a user (the daemon stops
 * answering them), counts a broadcast's audience, reads the audit log and signs out. The
 * refusals: a link opened twice, a write without the CSRF header, a viewer's write, a
 * signed-out cookie. One browser for the whole file; a phone-sized screenshot is saved under
 * test-artifacts/panel/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { parseEnvelope, runCli, spawnCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/ports.js';

const CHROMIUM = process.env.BOTCTL_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/panel/', import.meta.url));
const ADMIN = 7500;
const ALICE = 7501;
const BOB = 7502;

const fakes = useDaemonFakes();

describe('admin panel in Chromium against a running daemon', { timeout: 240_000 }, () => {
  let browser: Browser;
  let daemon: ReturnType<typeof spawnCli>;
  let env: Record<string, string>;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-panel-e2e-'));
    const fakesEnv = await daemonEnv(fakes);
    env = { BOTCTL_DATA_DIR: dataDir, ...fakesEnv, BOTCTL_ADMIN: 'on', BOTCTL_ADMINS: String(ADMIN) };
    origin = `http://127.0.0.1:${fakesEnv.BOTCTL_HTTP_PORT}`;
    expect((await runCli(['migrate', 'up'], env)).exitCode).toBe(0);
    fakes.gemini.respond = (req) => ({ text: `echo: ${req.lastUserText}` });
    daemon = spawnCli(['start'], env);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    await waitFor(async () => expect((await fetch(`${origin}/readyz`)).status).toBe(200), 60_000);
    // Some traffic for the charts: two chatters, one answer each.
    for (const chat of [ALICE, BOB]) {
      fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: chat, text: `hello from ${chat}` }));
      await waitFor(
        () => expect(fakes.telegram.sentMessages(chat)).toEqual([`echo: hello from ${chat}`]),
        30_000,
      );
    }
    // And one failed request for the errors chart: Gemini refuses this question (three attempts,
    // below the circuit breaker's five), Alice is told, the daemon counts it for today.
    fakes.gemini.respond = (req) =>
      req.lastUserText === 'this one fails'
        ? { error: { status: 503 } }
        : { text: `echo: ${req.lastUserText}` };
    fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: ALICE, text: 'this one fails' }));
    await waitFor(
      () => expect(fakes.telegram.sentMessages(ALICE).at(-1)).toMatch(/temporarily unavailable/),
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (daemon) {
      daemon.kill('SIGTERM');
      const result = await daemon;
      expect(result.exitCode, String(result.stderr).slice(-2000)).toBe(0);
      // Link and session tokens never reach the logs.
      const logs = String(result.stdout) + String(result.stderr);
      for (const secret of secrets) expect(logs).not.toContain(secret);
    }
  });

  async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', ...options });
    contexts.push(context);
    return context.newPage();
  }

  /** A link as the bot gives it to an id in `admins`. */
  async function botLink(): Promise<string> {
    const before = fakes.telegram.sentMessages(ADMIN).length;
    fakes.telegram.pushUpdate(fakes.telegram.updates.command({ chatId: ADMIN, command: 'admin' }));
    let text = '';
    await waitFor(() => {
      const sent = fakes.telegram.sentMessages(ADMIN);
      expect(sent.length).toBeGreaterThan(before);
      text = sent.at(-1)!;
    }, 30_000);
    const url = /(http:\/\/\S+#signin=[A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(url, text).toBeDefined();
    secrets.push(url!.split('#signin=')[1]!);
    return url!;
  }

  const call = (page: Page, method: string, url: string, headers: Record<string, string> = {}) =>
    page.evaluate(
      async ([m, u, h]) => {
        const response = await fetch(u, { method: m, headers: h });
        return { status: response.status, body: await response.text() };
      },
      [method, url, headers] as const,
    );

  it('signs in with a link from /admin, shows stats, bans a user, counts a broadcast, exports and forgets a user, logs the actions, signs out', async () => {
    // A chatter who is not in `admins` gets no link.
    fakes.telegram.pushUpdate(fakes.telegram.updates.command({ chatId: ALICE, command: 'admin' }));
    await waitFor(
      () => expect(fakes.telegram.sentMessages(ALICE).at(-1)).toMatch(/for the bot's administrators/),
      30_000,
    );

    const link = await botLink();
    expect(link.startsWith(`${origin}/admin/#signin=`)).toBe(true);
    const page = await newPage();
    await page.goto(link);
    await page.locator('[data-role="owner"]').waitFor();
    expect(page.url()).toBe(`${origin}/admin/#/`); // the token left the address bar
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({
      name: 'botctl_session',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1',
    });
    expect(await page.evaluate('document.cookie')).toBe(''); // scripts cannot read it

    // Overview: cards from the stats service and charts drawn with the two days' data.
    await page.locator('figure[data-chart="line"] polyline').first().waitFor();
    expect(await page.locator('.card-value').first().textContent()).toBe('3');
    const points = await page.locator('figure[data-chart="line"] polyline.s1').first().getAttribute('points');
    expect(points?.split(' ').length).toBeGreaterThanOrEqual(2);
    expect(await page.locator('figure[data-chart="bar"] .bar-row').count()).toBeGreaterThanOrEqual(1);
    // Tokens per day: two lines (in, out) of 30 points, today's above zero.
    const tokenLines = page.locator('figure[data-name="tokens"] polyline');
    expect(await tokenLines.count()).toBe(2);
    for (const line of await tokenLines.all()) {
      const drawn = (await line.getAttribute('points'))!.split(' ');
      expect(drawn).toHaveLength(30);
      const ys = drawn.map((p) => Number(p.split(',')[1]));
      expect(ys.at(-1), 'today is higher than the quiet days').toBeLessThan(ys[0]!);
    }
    // Errors per day: 30 bars, every day but today zero high, today the one failed request.
    const bars = page.locator('figure[data-name="errors"] rect.day-bar');
    expect(await bars.count()).toBe(30);
    const values = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
    expect(values).toEqual([...Array<number>(29).fill(0), 1]);
    const heights = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
    expect(heights.at(-1)).toBeGreaterThan(0);
    expect(heights.slice(0, 29).every((h) => h === 0)).toBe(true);
    expect(await page.locator('figure[data-name="errors"] figcaption').textContent()).toBe(
      'Errors per day (failed requests: 1)',
    );

    // The same link again, in another browser: refused.
    const again = await newPage();
    await again.goto(link);
    await again.getByText('This sign-in link is expired or was already used').waitFor();

    // Ban Bob from his page; the daemon stops answering him. His paid premium's end shows there.
    expect((await runCli(['users', 'premium', String(BOB), '--until', '2099-01-31'], env)).exitCode).toBe(0);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator(`a[data-user="${BOB}"]`).click();
    await page.getByText(/^Premium until /).waitFor();
    // Every daily limit of his own can be set here, web searches included; empty stays the role's.
    await page.locator('input[name="messagesPerDay"]').fill('50');
    await page.locator('input[name="searchesPerDay"]').fill('7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const overrides = JSON.parse((await call(page, 'GET', `/api/v1/users/${BOB}`)).body).quota.overrides;
    expect(overrides).toEqual({ messagesPerDay: 50, searchesPerDay: 7 });
    // An owner reads the conversation itself.
    await page.locator('a[href^="#/conversations/"]').first().click();
    await page.getByText(`hello from ${BOB}`, { exact: true }).waitFor();
    await page.getByText('Back to the user').click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Ban' }).click();
    await page.locator('[data-status="banned"]').waitFor();
    fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: BOB, text: 'still there?' }));
    await waitFor(
      () => expect(fakes.telegram.sentMessages(BOB).at(-1)).toMatch(/can no longer use this bot/),
      30_000,
    );

    // A write with the cookie but without the CSRF header: refused, nothing changed.
    const forged = await call(page, 'POST', `/api/v1/users/${ALICE}/ban`);
    expect(forged.status, forged.body).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'CSRF' } });

    // A broadcast's dry run: the audience counted, nothing sent.
    const sentBefore = fakes.telegram.sentMessages(ALICE).length;
    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await page.locator('textarea[name="text"]').fill('Maintenance tonight');
    await page.locator('button[name="dry-run"]').click();
    const recipients = await page.locator('[data-recipients]').getAttribute('data-recipients');
    expect(Number(recipients)).toBeGreaterThanOrEqual(2);
    expect(fakes.telegram.sentMessages(ALICE)).toHaveLength(sentBefore);
    // Then sent for real: the row follows its progress to the end; the banned user gets nothing.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Send' }).click();
    const row = page.locator('li[data-broadcast]').first();
    await row.getByText('done').waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/Sent 2, failed 0, blocked 0, pending 0/);
    expect(fakes.telegram.sentMessages(ALICE).at(-1)).toBe('Maintenance tonight');
    expect(fakes.telegram.sentMessages(BOB)).not.toContain('Maintenance tonight');

    // Bob's data exported from his page, then Bob forgotten: gone from the list and the API.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator(`a[data-user="${BOB}"]`).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[name="export"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`botctl-user-${BOB}.json`);
    expect(fs.readFileSync(await download.path(), 'utf8')).toContain(`hello from ${BOB}`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('button[name="forget"]').click();
    await page.locator(`a[data-user="${ALICE}"]`).waitFor();
    expect(await page.locator(`a[data-user="${BOB}"]`).count()).toBe(0);
    expect((await call(page, 'GET', `/api/v1/users/${BOB}`)).status).toBe(404);

    // The audit log names the panel session and the address for the ban, and the forget.
    await page.getByRole('link', { name: 'Audit log' }).click();
    const ban = page.locator('tr[data-action="user.status"]').first();
    await ban.waitFor();
    expect(await ban.textContent()).toMatch(/panel:\d+.*user\.status.*user:7502.*127\.0\.0\.1/);
    await page.locator('tr[data-action="admin.sign-in"]').first().waitFor();
    await page.locator('tr[data-action="user.forget"]').first().waitFor();

    // Sign out: the page says so and the cookie it had no longer works.
    const token = cookie!.value;
    secrets.push(token);
    await page.locator('button[name="logout"]').click();
    await page.getByText('You are signed out.').waitFor();
    const after = await fetch(`${origin}/api/v1/session`, { headers: { cookie: `botctl_session=${token}` } });
    expect(after.status).toBe(401);
  });

  it('gives a viewer link (CLI) a read-only panel: writes are 403 even with the CSRF token; a phone renders it', async () => {
    const made = await runCli(['admin', 'link', '--role', 'viewer', '--ttl', '15m', '--json'], env);
    expect(made.exitCode, made.stderr).toBe(0);
    const { url } = parseEnvelope(made.stdout).result as { url: string };
    const page = await newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: 'ru-RU',
    });
    await page.goto(url);
    await page.locator('[data-role="viewer"]').waitFor();
    await page.locator('figure[data-chart="line"] polyline').first().waitFor();
    expect(await page.getByText('Обзор').count()).toBeGreaterThan(0); // Russian, from the browser's language
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'overview-phone.png'), fullPage: true });
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    const session = await call(page, 'GET', '/api/v1/session');
    const { csrfToken } = JSON.parse(session.body) as { csrfToken: string };
    const ban = await call(page, 'POST', `/api/v1/users/${ALICE}/ban`, { 'x-csrf-token': csrfToken });
    expect(ban.status, ban.body).toBe(403);
    expect(JSON.parse(ban.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    await page.getByRole('link', { name: 'Пользователи' }).click();
    await page.locator(`a[data-user="${ALICE}"]`).click();
    await page.getByText('Ваша роль позволяет только смотреть.').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'user-phone.png'), fullPage: true });
    expect(await page.getByRole('button', { name: 'Заблокировать' }).count()).toBe(0);
    // A viewer sees that a conversation exists, not what was said.
    await page.locator('a[href^="#/conversations/"]').first().click();
    await page.getByText('Текст сообщений скрыт для вашей роли.').waitFor();
    expect(await page.getByText(`hello from ${ALICE}`).count()).toBe(0);

    const listed = await runCli(['admin', 'sessions', '--json'], env);
    const sessions = (parseEnvelope(listed.stdout).result as { sessions: { role: string; state: string }[] })
      .sessions;
    expect(sessions[0]).toMatchObject({ role: 'viewer', state: 'active' });
    const revoked = await runCli(['admin', 'revoke', '--all', '--yes', '--json'], env);
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    expect((await call(page, 'GET', '/api/v1/session')).status).toBe(401);
  });
});
