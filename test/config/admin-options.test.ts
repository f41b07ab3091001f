/** The panel's options: trustProxy's forms (and its refusal through loadConfig), and where sign-in links point. */
import { describe, expect, it } from 'vitest';
import { adminBaseUrl, loadConfig } from '../../src/config/config.js';
import { parseTrustProxy } from '../../src/config/trust-proxy.js';

const load = (env: Record<string, string>) => loadConfig({ dataDir: '/tmp/botctl-options', env, file: {} });

describe('trustProxy', () => {
  it.each([
    ['off', false],
    ['', false],
    ['FALSE', false],
    ['on', true],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['127.0.0.1, 10.0.0.0/8,fd00::/8', ['127.0.0.1', '10.0.0.0/8', 'fd00::/8']],
  ])('reads %j', (text, value) => expect(parseTrustProxy(text)).toEqual(value));

  it.each(['maybe', '10.0.0.0/33', '300.1.1.1', '10.0.0.0/8/1', 'loopback,', '::1/129'])(
    'refuses %j',
    (text) => expect(parseTrustProxy(text)).toBeUndefined(),
  );

  it('defaults to off and refuses a bad value naming the key', () => {
    expect(load({}).trustProxy).toBe('off');
    expect(load({ BOTCTL_TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
    expect(() => load({ BOTCTL_TRUST_PROXY: 'everyone' })).toThrow(/trustProxy/);
  });
});

describe('adminBaseUrl', () => {
  it('takes adminUrl, else the webhook origin, else the HTTP server (a wildcard bind as loopback)', () => {
    expect(adminBaseUrl(load({ BOTCTL_ADMIN_URL: 'https://bot.example.com/' }))).toBe(
      'https://bot.example.com',
    );
    expect(adminBaseUrl(load({ BOTCTL_WEBHOOK_URL: 'https://hooks.example.com/tg/webhook' }))).toBe(
      'https://hooks.example.com',
    );
    expect(adminBaseUrl(load({ BOTCTL_HTTP_PORT: '9090' }))).toBe('http://127.0.0.1:9090');
    expect(adminBaseUrl(load({ BOTCTL_HTTP_HOST: '0.0.0.0' }))).toBe('http://127.0.0.1:8080');
    expect(adminBaseUrl(load({ BOTCTL_HTTP_HOST: '::1' }))).toBe('http://[::1]:8080');
  });
});
