/**
 * Sign-in for people through the admin API, on the app the daemon builds over SQLite and
 * PostgreSQL: a link opens once into an HttpOnly, SameSite=Strict cookie (Secure unless plain
 * http on loopback, or always when the panel's address is https), the session's writes need
 * its CSRF token, its role maps onto the key scopes, refresh moves its end, logout and revoke
 * end it, sign-ins are throttled, and every step is audited with the client's address
 * (X-Forwarded-For only when trustProxy says so). Also the panel's static files and headers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS } from '../../src/domain/admin-sessions.js';
import { startAdminApi, type AdminApiFixture } from '../helpers/admin-api.js';
import { DIALECTS } from '../helpers/db.js';

const SLOW = 120_000;
const LOOPBACK = { host: '127.0.0.1:8080' };

const tokenOf = (url: string) => /#signin=([A-Za-z0-9_-]+)$/.exec(url)![1]!;

describe.each(DIALECTS)('admin sessions on %s', (dialect) => {
  let fx: AdminApiFixture;
  beforeAll(async () => {
    fx = await startAdminApi(dialect);
  }, SLOW);
  afterAll(async () => fx?.close());

  const link = async (role: 'viewer' | 'operator' | 'owner') =>
    tokenOf((await (await fx.app.services.adminSessions()).createLink({ role })).url);
  const signIn = (token: string, headers: Record<string, string> = LOOPBACK) =>
    fx.server.inject({ method: 'POST', url: '/api/v1/session', headers, payload: { token } });
  const cookieOf = (setCookie: unknown) => /botctl_session=([A-Za-z0-9_-]+)/.exec(String(setCookie))![1]!;
  const as = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, extra: object = {}) =>
    fx.server.inject({ method, url, headers: { ...LOOPBACK, cookie: `botctl_session=${cookie}`, ...extra } });

  it('opens a link once into a cookie session; the session reads, and writes only with its CSRF token', async () => {
    const token = await link('operator');
    const opened = await signIn(token);
    expect(opened.statusCode, opened.body).toBe(200);
    const info = opened.json<{ role: string; scope: string; csrfToken: string; expiresAt: string }>();
    expect(info).toMatchObject({ role: 'operator', scope: 'write' });
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^botctl_session=[A-Za-z0-9_-]+; Path=\/api\/v1; Max-Age=1800; HttpOnly; SameSite=Strict$/,
    );
    expect(opened.headers['cache-control']).toBe('no-store');
    const cookie = cookieOf(setCookie);

    const again = await signIn(token);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: { code: 'LINK_INVALID' } });
    expect((await signIn('botctl_not-a-real-link-token')).statusCode).toBe(401);
    expect((await signIn('short')).statusCode).toBe(400);

    const session = await as(cookie, 'GET', '/api/v1/session');
    expect(session.json()).toEqual(info);
    expect((await as(cookie, 'GET', '/api/v1/users')).statusCode).toBe(200);

    const noCsrf = await as(cookie, 'POST', '/api/v1/users/7002/ban');
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ error: { code: 'CSRF' } });
    const wrong = await as(cookie, 'POST', '/api/v1/users/7002/ban', { 'x-csrf-token': 'f'.repeat(64) });
    expect(wrong.statusCode).toBe(403);
    expect((await fx.db.raw('select status from users where telegram_id = 7002'))[0]).toEqual({
      status: 'active',
    });
    const ban = await as(cookie, 'POST', '/api/v1/users/7002/ban', { 'x-csrf-token': info.csrfToken });
    expect(ban.statusCode, ban.body).toBe(200);
    // Content is not for an operator.
    expect((await as(cookie, 'GET', '/api/v1/users/7002/export')).json()).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringContaining('role (operator)') },
    });

    const audit = (await (await fx.app.services.audit()).page({ limit: 10 })).entries;
    const id = /panel:(\d+)/.exec(audit[0]!.actor)![1];
    expect(audit.slice(0, 3).map((e) => [e.actor, e.action, e.target, e.address])).toEqual([
      [`panel:${id}`, 'user.status', 'user:7002', '127.0.0.1'],
      [`panel:${id}`, 'admin.sign-in', `session:${id}`, '127.0.0.1'],
      ['cli', 'admin.link', `session:${id}`, null],
    ]);
    await as(cookie, 'POST', '/api/v1/users/7002/unban', { 'x-csrf-token': info.csrfToken });
  });

  it('maps roles onto scopes: a viewer reads, cannot write; an owner reads content', async () => {
    const viewer = cookieOf((await signIn(await link('viewer'))).headers['set-cookie']);
    const csrf = (await as(viewer, 'GET', '/api/v1/session')).json<{ csrfToken: string }>().csrfToken;
    expect((await as(viewer, 'GET', '/api/v1/stats')).statusCode).toBe(200);
    const refused = await as(viewer, 'POST', '/api/v1/users/7002/ban', { 'x-csrf-token': csrf });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const owner = cookieOf((await signIn(await link('owner'))).headers['set-cookie']);
    expect((await as(owner, 'GET', '/api/v1/users/7002/export')).statusCode).toBe(200);
  });

  it('refreshes, signs out and honours revokes; keys have no session', async () => {
    const opened = await signIn(await link('viewer'));
    const cookie = cookieOf(opened.headers['set-cookie']);
    const first = opened.json<{ expiresAt: string; csrfToken: string }>();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refreshed = await as(cookie, 'POST', '/api/v1/session/refresh', {
      'x-csrf-token': first.csrfToken,
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const end = Date.parse(refreshed.json<{ expiresAt: string }>().expiresAt);
    expect(end).toBeGreaterThan(Date.parse(first.expiresAt));
    expect(end - Date.now()).toBeLessThanOrEqual(SESSION_IDLE_MS);
    expect(String(refreshed.headers['set-cookie'])).toContain('Max-Age=');

    const keyed = await fx.server.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${fx.keys.read}` },
    });
    expect(keyed.statusCode).toBe(400);
    expect(keyed.json()).toMatchObject({ error: { code: 'NOT_A_SESSION' } });

    expect((await as(cookie, 'DELETE', '/api/v1/session')).statusCode).toBe(403); // CSRF here too
    const out = await as(cookie, 'DELETE', '/api/v1/session', { 'x-csrf-token': first.csrfToken });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^botctl_session=; Path=\/api\/v1; Max-Age=0;/);
    expect((await as(cookie, 'GET', '/api/v1/session')).statusCode).toBe(401);

    const sessions = await fx.app.services.adminSessions();
    const other = cookieOf((await signIn(await link('owner'))).headers['set-cookie']);
    const [newest] = await sessions.list(1);
    expect(newest).toMatchObject({ role: 'owner', state: 'active', address: '127.0.0.1' });
    expect(await sessions.revoke(newest!.id)).toEqual({ revoked: 1 });
    expect(await sessions.revoke(newest!.id)).toEqual({ revoked: 0 });
    expect((await as(other, 'GET', '/api/v1/users')).statusCode).toBe(401);
    await expect(sessions.revoke(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(sessions.createLink({ role: 'owner', ttlMs: 1000 })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(sessions.createLink({ role: 'boss' as 'owner' })).rejects.toMatchObject({ code: 'USAGE' });
    expect((await sessions.list()).map((s) => s.state)).toContain('revoked');
    expect(await sessions.linkForChat(1)).toBeNull();
  });

  it('marks the cookie Secure except over plain http to loopback', async () => {
    const secure = await signIn(await link('viewer'), { host: 'bot.example.com' });
    expect(String(secure.headers['set-cookie'])).toMatch(/; Secure$/);
    const local = await signIn(await link('viewer'), { host: 'localhost:8080' });
    expect(String(local.headers['set-cookie'])).not.toContain('Secure');
  });
});

describe('admin sessions behind a proxy, throttled sign-ins, the panel files (sqlite)', () => {
  let plain: AdminApiFixture;
  let proxied: AdminApiFixture;
  let panelDir: string;
  beforeAll(async () => {
    panelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-panel-'));
    fs.mkdirSync(path.join(panelDir, 'assets'));
    fs.writeFileSync(
      path.join(panelDir, 'index.html'),
      '<!doctype html><script src="/admin/assets/app-1.js"></script>',
    );
    fs.writeFileSync(path.join(panelDir, 'assets', 'app-1.js'), 'console.log("panel")');
    plain = await startAdminApi('sqlite', { limits: { signInsPerMinute: 2 }, panelDir });
    proxied = await startAdminApi('sqlite', { trustProxy: ['loopback'], httpsOnly: true });
  }, SLOW);
  afterAll(async () => {
    await plain?.close();
    await proxied?.close();
    fs.rmSync(panelDir, { recursive: true, force: true });
  });

  const forwarded = {
    host: 'bot.example.com',
    'x-forwarded-for': '198.51.100.7',
    'x-forwarded-proto': 'https',
  };
  const openWith = async (fx: AdminApiFixture) => {
    const { url } = await (await fx.app.services.adminSessions()).createLink({ role: 'viewer' });
    return fx.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: forwarded,
      payload: { token: tokenOf(url) },
      remoteAddress: '127.0.0.1',
    });
  };

  it('believes X-Forwarded-* only with trustProxy; https-only panels always set Secure', async () => {
    const trusted = await openWith(proxied);
    expect(String(trusted.headers['set-cookie'])).toMatch(/; Secure$/);
    expect((await (await proxied.app.services.adminSessions()).list(1))[0]?.address).toBe('198.51.100.7');
    await openWith(plain);
    expect((await (await plain.app.services.adminSessions()).list(1))[0]?.address).toBe('127.0.0.1');
  });

  it('throttles sign-in attempts per address with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (
          await plain.server.inject({
            method: 'POST',
            url: '/api/v1/session',
            payload: { token: `botctl_wrong-guess-${i}xx` },
            remoteAddress: '192.0.2.1',
          })
        ).statusCode,
      );
    }
    // Two wrong tokens from one address, then refused before the token is even looked at.
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('serves the built panel with a strict CSP, gzip and cache headers; nothing else', async () => {
    expect((await plain.server.inject({ method: 'GET', url: '/admin' })).headers.location).toBe('/admin/');
    const page = await plain.server.inject({ method: 'GET', url: '/admin/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const js = await plain.server.inject({
      method: 'GET',
      url: '/admin/assets/app-1.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await plain.server.inject({ method: 'GET', url: '/admin/assets/app-1.js' })).body).toBe(
      'console.log("panel")',
    );
    for (const url of ['/admin/../package.json', '/admin/assets/nope.js', '/admin/%2e%2e/x']) {
      expect((await plain.server.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});
