/**
 * The admin API through Fastify's inject() and over real HTTP, on the app the daemon builds
 * over a real database: every route refuses a missing, unknown, expired or revoked key (401)
 * and a key below its scope (403); bad ids, wrong types and oversized bodies are 400/413 with
 * `{error:{code,message}}` and nothing internal; every write leaves an audit row naming the key
 * and the address; the OpenAPI document validates and lists exactly the routes served.
 */
import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createCache } from '../../src/adapters/cache/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminApi, type AdminApiFixture } from '../helpers/admin-api.js';
import { DIALECTS } from '../helpers/db.js';
import { EXPECTED_REPORT } from '../helpers/stats-fixture.js';

const SLOW = 120_000;
/** A response body read loosely: the assertions say what it must hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
type Scope = 'read' | 'write' | 'admin';
interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  scope: Scope;
  body?: unknown;
}

/** One call per route the API serves, with ids the fixture has (7006: fay, 7002: bob). */
const ROUTES: RouteCase[] = [
  { method: 'GET', url: '/api/v1/stats', scope: 'read' },
  { method: 'GET', url: '/api/v1/health', scope: 'read' },
  { method: 'GET', url: '/api/v1/users', scope: 'read' },
  { method: 'GET', url: '/api/v1/users/7002', scope: 'read' },
  { method: 'PATCH', url: '/api/v1/users/7002', scope: 'write', body: { role: 'premium' } },
  { method: 'POST', url: '/api/v1/users/7002/ban', scope: 'write' },
  { method: 'POST', url: '/api/v1/users/7002/unban', scope: 'write' },
  { method: 'GET', url: '/api/v1/users/7002/export', scope: 'admin' },
  { method: 'DELETE', url: '/api/v1/users/7006', scope: 'write' },
  { method: 'GET', url: '/api/v1/users/7002/conversations', scope: 'read' },
  { method: 'GET', url: '/api/v1/conversations/1', scope: 'read' },
  { method: 'POST', url: '/api/v1/broadcasts', scope: 'write', body: { text: 'hi', dryRun: true } },
  { method: 'GET', url: '/api/v1/broadcasts', scope: 'read' },
  { method: 'GET', url: '/api/v1/broadcasts/b-none', scope: 'read' },
  { method: 'POST', url: '/api/v1/broadcasts/b-none/cancel', scope: 'write' },
  { method: 'GET', url: '/api/v1/backups', scope: 'read' },
  { method: 'POST', url: '/api/v1/backups', scope: 'write' },
  { method: 'GET', url: '/api/v1/audit', scope: 'read' },
  { method: 'GET', url: '/api/v1/session', scope: 'read' },
  { method: 'POST', url: '/api/v1/session/refresh', scope: 'read' },
  { method: 'DELETE', url: '/api/v1/session', scope: 'read' },
];
/** Routes anyone may call: opening a sign-in link (its token is the credential). */
const PUBLIC = ['POST /api/v1/session'];

const BELOW: Record<Scope, Scope | null> = { read: null, write: 'read', admin: 'write' };

/** Nothing a client gets may show code, SQL, paths or stack frames. */
function expectNoInternals(body: string) {
  expect(body).not.toMatch(
    /\bat [\w.<>]+ \(|node_modules|\/work\/|\/tmp\/|\bselect \b|\binsert into\b|SQLITE_|SQLSTATE|"stack"/i,
  );
}

function expectError(res: { statusCode: number; body: string }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(JSON.parse(res.body)).toEqual({ error: { code, message: expect.any(String) } });
  expectNoInternals(res.body);
}

describe('admin API: keys, scopes and refusals (sqlite, inject)', () => {
  let fx: AdminApiFixture;
  beforeAll(async () => {
    fx = await startAdminApi('sqlite');
  }, SLOW);
  afterAll(async () => fx?.close());

  const call = (route: RouteCase, key?: string, url = route.url, body = route.body) =>
    fx.server.inject({
      method: route.method,
      url,
      headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  it('refuses every route without a valid key (401) and below its scope (403), writing nothing', async () => {
    for (const route of ROUTES) {
      const label = `${route.method} ${route.url}`;
      for (const key of [undefined, 'botctl_wrong', fx.keys.expired, fx.keys.revoked, 'x'.repeat(300)]) {
        const res = await call(route, key);
        expect(res.statusCode, `${label} with ${key?.slice(0, 12)}`).toBe(401);
        expectError(res, 401, 'UNAUTHORIZED');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="botctl"');
      }
      const basic = await fx.server.inject({
        method: route.method,
        url: route.url,
        headers: { authorization: `Basic ${fx.keys.admin}` },
      });
      expectError(basic, 401, 'UNAUTHORIZED');
      const below = BELOW[route.scope];
      if (below !== null) expectError(await call(route, fx.keys[below]), 403, 'FORBIDDEN');
    }
    expect(await fx.db.raw('select id from audit_log')).toEqual([]);
    expect((await fx.db.raw('select status from users where telegram_id = 7002'))[0]).toEqual({
      status: 'active',
    });
  });

  it('answers bad ids, wrong types and unknown routes with 400/404 and one error shape', async () => {
    const admin = fx.keys.admin;
    for (const bad of ['abc', '0', '-5', '1.5', '99999999999999999999', '7002%20OR%201=1']) {
      for (const route of ROUTES.filter((r) => r.url.includes('/users/7002'))) {
        expectError(await call(route, admin, route.url.replace('7002', bad)), 400, 'BAD_REQUEST');
      }
      expectError(await call(ROUTES[10]!, admin, `/api/v1/conversations/${bad}`), 400, 'BAD_REQUEST');
    }
    for (const route of ROUTES.filter((r) => r.url.includes('/users/7002'))) {
      expectError(await call(route, admin, route.url.replace('7002', '424242')), 404, 'NOT_FOUND');
    }
    expectError(await call(ROUTES[10]!, admin, '/api/v1/conversations/9999'), 404, 'NOT_FOUND');
    expectError(await call(ROUTES[13]!, admin), 404, 'NOT_FOUND');
    expectError(await call(ROUTES[13]!, admin, '/api/v1/broadcasts/..%2Fetc'), 400, 'BAD_REQUEST');
    const patch = ROUTES[4]!;
    for (const body of [
      { role: 'god' },
      { role: 1 },
      { role: 'user', extra: true },
      {},
      [],
      { quota: { messagesPerDay: -1 } },
      { quota: { messagesPerDay: 1.5 } },
      { quota: { wishesPerDay: 3 } },
      { quota: null },
    ]) {
      expectError(await call(patch, admin, patch.url, body), 400, 'BAD_REQUEST');
    }
    const broken = await fx.server.inject({
      method: 'PATCH',
      url: patch.url,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      payload: '{"role":',
    });
    expectError(broken, 400, 'BAD_REQUEST');
    const text = await fx.server.inject({
      method: 'PATCH',
      url: patch.url,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
      payload: 'role=admin',
    });
    expectError(text, 400, 'BAD_REQUEST');
    const list = ROUTES[2]!;
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=x',
      'role=god',
      'active=-1',
      'cursor=%24%24',
      'cursor=zzzzzzzzzzzz',
    ]) {
      expectError(await call(list, admin, `${list.url}?${query}`), 400, 'BAD_REQUEST');
    }
    expectError(await call(ROUTES[0]!, admin, '/api/v1/stats?since=yesterday'), 400, 'USAGE');
    const post = ROUTES[11]!;
    for (const body of [
      { text: '' },
      { text: 5 },
      { text: 'x'.repeat(5000) },
      { text: 'hi', audience: { role: 'x' } },
    ]) {
      expectError(await call(post, admin, post.url, body), 400, 'BAD_REQUEST');
    }
    expectError(await call({ method: 'GET', url: '/api/v1/nope', scope: 'read' }, admin), 404, 'NOT_FOUND');
    expect(await fx.db.raw('select id from audit_log')).toEqual([]);
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const res = await fx.server.inject({
      method: 'POST',
      url: '/api/v1/broadcasts',
      headers: { authorization: `Bearer ${fx.keys.write}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(100_000), dryRun: true }),
    });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('sends helmet headers and no CORS headers', async () => {
    const res = await fx.server.inject({
      method: 'GET',
      url: '/api/v1/stats',
      headers: { authorization: `Bearer ${fx.keys.read}`, origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // The webhook and health routes keep their own shape: helmet stays inside the API.
    const health = await fx.server.inject({ method: 'GET', url: '/healthz' });
    expect([health.statusCode, health.json(), health.headers['x-content-type-options']]).toEqual([
      200,
      { status: 'ok' },
      undefined,
    ]);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const lastUsed = async () =>
      (await fx.db.raw('select last_used_at from api_keys where id = ?', [fx.ids.read]))[0]!.last_used_at;
    await call(ROUTES[0]!, fx.keys.read);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await call(ROUTES[0]!, fx.keys.read);
    expect(await lastUsed()).toEqual(first);
  });

  it('serves an OpenAPI 3.1 document that validates and lists exactly the routes served', async () => {
    const res = await fx.server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const document = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);

    const documented = Object.entries(document.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const served = routesOf(fx);
    expect(served).toHaveLength(22);
    expect(served.sort()).toEqual(documented);
    // And the case table above covers every route, so every route meets the auth checks.
    const cased = ROUTES.map(
      (r) =>
        `${r.method} ${r.url.replace(/\/7002|\/7006/, '/{telegramId}').replace(/\/1$|\/b-none/, '/{id}')}`,
    );
    expect([...new Set([...cased, ...PUBLIC])].sort()).toEqual(documented);

    // /stats is documented field by field, the per-day token and error series included.
    const components = (document as unknown as { components: { schemas: Record<string, Json> } }).components;
    expect(Object.keys(components.schemas.StatsDay!.properties).sort()).toEqual(
      ['activeUsers', 'day', 'errors', 'modelMessages', 'tokensIn', 'tokensOut', 'userMessages'].sort(),
    );
    expect(components.schemas.StatsReport!.properties).toHaveProperty('errors');

    const page = await fx.server.inject({ method: 'GET', url: '/api/v1/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="docs.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await fx.server.inject({ method: 'GET', url: '/api/v1/docs.js' })).statusCode).toBe(200);
  });

  it(
    'limits requests per key with 429 and retry-after',
    async () => {
      const limited = await startAdminApi('sqlite', { limits: { perKeyPerMinute: 3 } });
      try {
        const statuses: number[] = [];
        let last;
        for (let i = 0; i < 5; i += 1) {
          last = await limited.server.inject({
            method: 'GET',
            url: '/api/v1/health',
            headers: { authorization: `Bearer ${limited.keys.read}` },
          });
          statuses.push(last.statusCode);
        }
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        expectError(last!, 429, 'RATE_LIMITED');
        expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
        // Another key is counted apart.
        const other = await limited.server.inject({
          method: 'GET',
          url: '/api/v1/health',
          headers: { authorization: `Bearer ${limited.keys.admin}` },
        });
        expect(other.statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    },
    SLOW,
  );

  it(
    'shares the per-address count between two servers through Redis',
    async () => {
      const namespace = `botctl-test-${randomUUID()}`;
      const caches = [
        await createCache({ url: 'redis://127.0.0.1:6379', namespace }),
        await createCache({ url: 'redis://127.0.0.1:6379', namespace }),
      ];
      expect(caches.map((c) => c.kind)).toEqual(['redis', 'redis']);
      const servers = [
        await startAdminApi('sqlite', { limits: { perIpPerMinute: 4 }, rateCounter: caches[0]! }),
        await startAdminApi('sqlite', { limits: { perIpPerMinute: 4 }, rateCounter: caches[1]! }),
      ];
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i += 1) {
          const fx = servers[i % 2]!;
          const res = await fx.server.inject({
            method: 'GET',
            url: '/api/v1/health',
            headers: { authorization: `Bearer ${fx.keys.read}` },
          });
          statuses.push(res.statusCode);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      } finally {
        for (const fx of servers) await fx.close();
        for (const cache of caches) await cache.close();
      }
    },
    SLOW,
  );

  it('leaves one audit row per write that changed something, naming the key and the address', async () => {
    const admin = fx.keys.admin;
    const ok = async (method: RouteCase['method'], url: string, body?: unknown) => {
      const res = await call({ method, url, scope: 'admin' }, admin, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.json() as Json;
    };
    await ok('PATCH', '/api/v1/users/7001', { role: 'premium' });
    await ok('POST', '/api/v1/users/7001/ban');
    await ok('POST', '/api/v1/users/7001/unban');
    await ok('DELETE', '/api/v1/users/7006');
    await ok('POST', '/api/v1/broadcasts', { text: 'counted only', dryRun: true });
    const started = await ok('POST', '/api/v1/broadcasts', { text: 'slow one', ratePerSecond: 1 });
    await ok('POST', `/api/v1/broadcasts/${started.broadcast.id}/cancel`);
    await ok('POST', '/api/v1/backups');
    const rows = await fx.db.raw('select actor, action, target, address from audit_log order by id');
    const id = started.broadcast.id as string;
    expect(rows.map((r) => [r.action, r.target])).toEqual([
      ['user.role', 'user:7001'],
      ['user.status', 'user:7001'],
      ['user.status', 'user:7001'],
      ['user.forget', 'user:7006'],
      ['broadcast.start', `broadcast:${id}`],
      ['broadcast.cancel', `broadcast:${id}`],
      ['backup.create', expect.stringMatching(/^backup:\d{8}-\d{6}-/)],
    ]);
    for (const row of rows) expect(row).toMatchObject({ actor: `api:${fx.ids.admin}`, address: '127.0.0.1' });
  });
});

/**
 * Every route under /api/v1 as "METHOD /path/{param}" (HEAD, which Fastify adds to each GET, left
 * out), read from Fastify's own route tree: each line's segment joins its parent's by indentation.
 */
function routesOf(fx: AdminApiFixture): string[] {
  const tree = fx.server.printRoutes({ commonPrefix: false });
  const stack: { depth: number; path: string }[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
    const full = (stack.at(-1)?.path ?? '') + match[2]!;
    stack.push({ depth, path: full });
    if (!full.startsWith('/api/v1/') || !match[3]) continue;
    for (const method of match[3].split(', ')) {
      if (method !== 'HEAD') out.push(`${method} ${full.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out.filter((route) => !/\/(openapi\.json|docs|docs\.js)$/.test(route));
}

describe.each(DIALECTS)('admin API use cases on %s', (dialect) => {
  let fx: AdminApiFixture;
  beforeAll(async () => {
    fx = await startAdminApi(dialect);
  }, SLOW);
  afterAll(async () => fx?.close());

  const req = async (method: RouteCase['method'], url: string, key: string, body?: unknown) => {
    const res = await fx.server.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    expectNoInternals(res.body);
    return { status: res.statusCode, body: res.json() as Json };
  };
  const audit = async () =>
    (await fx.db.raw('select actor, action, target, address from audit_log order by id')).map((r) => ({
      ...r,
    }));

  it('reports the stats of `botctl stats --json`: every day of the period, tokens and errors per day', async () => {
    const stats = await req('GET', '/api/v1/stats?since=2025-06-01&until=2025-06-07', fx.keys.read);
    expect(stats).toEqual({ status: 200, body: EXPECTED_REPORT });
    const month = await req('GET', '/api/v1/stats?since=30d', fx.keys.read);
    expect(month.body.daily).toHaveLength(30);
  });

  it('pages users by cursor with filters', async () => {
    const first = await req('GET', '/api/v1/users?limit=2', fx.keys.read);
    expect(first.status).toBe(200);
    expect(first.body.users.map((u: { telegramId: number }) => u.telegramId)).toEqual([7001, 7002]);
    const second = await req('GET', `/api/v1/users?limit=2&cursor=${first.body.next}`, fx.keys.read);
    expect(second.body.users.map((u: { telegramId: number }) => u.telegramId)).toEqual([7003, 7004]);
    const third = await req('GET', `/api/v1/users?limit=2&cursor=${second.body.next}`, fx.keys.read);
    expect(third.body).toMatchObject({ next: null });
    expect(third.body.users).toHaveLength(2);
    const banned = await req('GET', '/api/v1/users?status=banned', fx.keys.read);
    expect(banned.body).toEqual({ users: [expect.objectContaining({ telegramId: 7003 })], next: null });
    const search = await req('GET', '/api/v1/users?search=bob&role=premium&language=en', fx.keys.read);
    expect(search.body.users.map((u: { username: string }) => u.username)).toEqual(['Bobby']);
  });

  it('shows, re-roles, bans and unbans a user, each change audited with the key and address', async () => {
    // Paid premium has an end, which the API shows (the schema would drop a field it lacks).
    await fx.db.raw('update users set premium_until = ? where telegram_id = 7002', [
      Date.parse('2099-02-01'),
    ]);
    const shown = await req('GET', '/api/v1/users/7002', fx.keys.read);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      user: { telegramId: 7002, role: 'premium', premiumUntil: '2099-02-01T00:00:00.000Z' },
      quota: { role: 'premium' },
    });
    await fx.db.raw('update users set premium_until = null where telegram_id = 7002');
    expect((await req('PATCH', '/api/v1/users/7002', fx.keys.write, { role: 'user' })).body).toMatchObject({
      changed: true,
      user: { user: { role: 'user' }, quota: { role: 'user', overrides: null } },
    });
    const own = await req('PATCH', '/api/v1/users/7002', fx.keys.write, {
      quota: { messagesPerDay: 7, imagesPerDay: 0 },
    });
    expect(own.body).toMatchObject({
      changed: true,
      user: {
        quota: {
          messages: { limit: 7 },
          images: { limit: null },
          tokens: { limit: 200_000 },
          overrides: { messagesPerDay: 7, imagesPerDay: 0 },
        },
      },
    });
    const cleared = await req('PATCH', '/api/v1/users/7002', fx.keys.write, {
      quota: { messagesPerDay: null },
    });
    expect(cleared.body.user.quota).toMatchObject({
      messages: { limit: 100 },
      overrides: { imagesPerDay: 0 },
    });
    expect((await req('PATCH', '/api/v1/users/7002', fx.keys.write, { quota: {} })).body.changed).toBe(false);
    expect((await req('POST', '/api/v1/users/7002/ban', fx.keys.write)).body).toMatchObject({
      changed: true,
      to: 'banned',
    });
    expect((await req('POST', '/api/v1/users/7002/unban', fx.keys.admin)).body).toMatchObject({
      changed: true,
      to: 'active',
    });
    expect((await req('POST', '/api/v1/users/7002/unban', fx.keys.admin)).body).toMatchObject({
      changed: false,
    });
    const actor = `api:${fx.ids.write}`;
    expect((await audit()).slice(-5)).toEqual([
      { actor, action: 'user.role', target: 'user:7002', address: '127.0.0.1' },
      { actor, action: 'user.quota', target: 'user:7002', address: '127.0.0.1' },
      { actor, action: 'user.quota', target: 'user:7002', address: '127.0.0.1' },
      { actor, action: 'user.status', target: 'user:7002', address: '127.0.0.1' },
      { actor: `api:${fx.ids.admin}`, action: 'user.status', target: 'user:7002', address: '127.0.0.1' },
    ]);
  });

  it('shows conversations without content to read keys and with it to admin keys', async () => {
    const list = await req('GET', '/api/v1/users/7001/conversations', fx.keys.read);
    expect(list.body.conversations).toHaveLength(2);
    const id = list.body.conversations.find((c: { messages: number }) => c.messages > 0).id;
    const plain = await req('GET', `/api/v1/conversations/${id}`, fx.keys.read);
    expect(plain.body).toMatchObject({ telegramId: 7001, contentIncluded: false });
    expect(plain.body.items.length).toBeGreaterThan(0);
    expect(plain.body.items.every((m: { content: string | null }) => m.content === null)).toBe(true);
    expect(JSON.stringify(plain.body)).not.toContain('ann user');
    const full = await req('GET', `/api/v1/conversations/${id}`, fx.keys.admin);
    expect(full.body.items.map((m: { content: string }) => m.content)).toContain('ann user');
  });

  it('exports (admin only) and forgets a user, both audited', async () => {
    const exported = await req('GET', '/api/v1/users/7001/export', fx.keys.admin);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ format: 1, profile: { telegramId: 7001 } });
    const forgotten = await req('DELETE', '/api/v1/users/7005', fx.keys.write);
    expect(forgotten).toMatchObject({ status: 200, body: { telegramId: 7005 } });
    expect((await req('GET', '/api/v1/users/7005', fx.keys.read)).status).toBe(404);
    expect((await audit()).slice(-2).map((r) => [r.action, r.target])).toEqual([
      ['user.export', 'user:7001'],
      ['user.forget', 'user:7005'],
    ]);
  });
});

describe('admin API operations (sqlite)', () => {
  let fx: AdminApiFixture;
  beforeAll(async () => {
    fx = await startAdminApi('sqlite');
  }, SLOW);
  afterAll(async () => fx?.close());

  const req = async (method: RouteCase['method'], url: string, key: string, body?: unknown) => {
    const res = await fx.server.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    expectNoInternals(res.body);
    return { status: res.statusCode, body: res.json() as Json };
  };

  it('reports stats and health', async () => {
    const stats = await req('GET', '/api/v1/stats?since=2025-06-01&until=2025-06-07', fx.keys.read);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ period: { days: 7 }, users: { total: expect.any(Number) } });
    expect(await req('GET', '/api/v1/health', fx.keys.read)).toEqual({
      status: 200,
      body: { ready: true, checks: { database: { ok: true } } },
    });
  });

  it('counts a dry run, runs a broadcast to the active users through Telegram, lists and cancels', async () => {
    const dry = await req('POST', '/api/v1/broadcasts', fx.keys.write, { text: 'Hello', dryRun: true });
    expect(dry).toEqual({ status: 200, body: { dryRun: true, recipients: 4 } });
    const started = await req('POST', '/api/v1/broadcasts', fx.keys.write, {
      text: 'Hello all',
      ratePerSecond: 50,
    });
    expect(started.status).toBe(202);
    const id = started.body.broadcast.id as string;
    let report = started.body;
    for (let i = 0; i < 100 && report.broadcast.status !== 'done'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      report = (await req('GET', `/api/v1/broadcasts/${id}`, fx.keys.read)).body;
    }
    expect(report).toMatchObject({ broadcast: { status: 'done' }, counts: { sent: 4, pending: 0 } });
    expect(fx.telegram.sentMessages(7001)).toEqual(['Hello all']);
    expect(fx.telegram.sentMessages(7003)).toEqual([]); // banned
    expect(
      (await req('GET', '/api/v1/broadcasts', fx.keys.read)).body.broadcasts.map((b: { id: string }) => b.id),
    ).toContain(id);
    expectError(
      await fx.server.inject({
        method: 'POST',
        url: `/api/v1/broadcasts/${id}/cancel`,
        headers: { authorization: `Bearer ${fx.keys.write}` },
      }),
      400,
      'USAGE',
    );
    const actions = (await fx.db.raw('select action, target from audit_log order by id')).map(
      (r) => r.action,
    );
    expect(actions).toEqual(['broadcast.start']);
  });

  it('takes a backup under the CLI lock (409 while it is held) and lists it without its path', async () => {
    const lock = fx.app.services.lock('botctl-backup-probe', 'test');
    lock.release();
    const created = await req('POST', '/api/v1/backups', fx.keys.write);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ reason: 'manual', verified: true, dialect: 'sqlite' });
    expect(created.body).not.toHaveProperty('path');
    const list = await req('GET', '/api/v1/backups', fx.keys.read);
    expect(list.body.backups.map((b: { id: string }) => b.id)).toEqual([created.body.id]);
    const held = fx.app.services.lock('broadcast', 'a broadcast');
    try {
      expectError(
        await fx.server.inject({
          method: 'POST',
          url: '/api/v1/broadcasts',
          headers: { authorization: `Bearer ${fx.keys.write}` },
          payload: { text: 'again' },
        }),
        409,
        'LOCKED',
      );
    } finally {
      held.release();
    }
    const audit = await req('GET', '/api/v1/audit?limit=1', fx.keys.read);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        action: 'backup.create',
        actor: `api:${fx.ids.write}`,
        address: '127.0.0.1',
      }),
    ]);
    expect(audit.body.next).toEqual(expect.any(String));
    const older = await req('GET', `/api/v1/audit?cursor=${audit.body.next}`, fx.keys.read);
    expect(older.body.entries.every((e: { id: number }) => e.id < audit.body.entries[0].id)).toBe(true);
  });

  it('answers over real HTTP the same way', async () => {
    await fx.server.listen({ host: '127.0.0.1', port: 0 });
    const address = fx.server.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;
    const none = await fetch(`${base}/users`);
    expect([none.status, await none.json()]).toEqual([
      401,
      { error: { code: 'UNAUTHORIZED', message: expect.any(String) } },
    ]);
    const ok = await fetch(`${base}/users?limit=1`, { headers: { authorization: `Bearer ${fx.keys.read}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { users: unknown[] }).users).toHaveLength(1);
    const big = await fetch(`${base}/broadcasts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.keys.write}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(200_000) }),
    });
    expect(big.status).toBe(413);
  });
});
