import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BotctlError, ERROR_CODES, type ErrorCode } from '../../src/domain/errors.js';

const readLocale = (lang: string) =>
  new Map(
    fs
      .readFileSync(new URL(`../../src/locales/${lang}.ftl`, import.meta.url), 'utf8')
      .split('\n')
      .map((line) => /^([a-z0-9-]+) = (.+)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('error catalogue', () => {
  it.each(['en', 'ru'])('has a %s message for every error code', (lang) => {
    const messages = readLocale(lang);
    const missing = codes.filter((code) => !messages.get(new BotctlError(code, 'x').localeKey));
    expect(missing).toEqual([]);
  });

  it('documents every code with its exit code in README, and no code that does not exist', () => {
    for (const code of codes) {
      expect(readme).toContain(`| ${code} | ${ERROR_CODES[code].exit} |`);
    }
    const documented = [...readme.matchAll(/^\| ([A-Z_]+) \| \d+ \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...codes].sort());
  });

  it('gives a coded error its exit code, retryability and locale key', () => {
    const error = new BotctlError('GEMINI_UNAVAILABLE', 'down', { hint: 'wait', params: { seconds: 3 } });
    expect(error).toMatchObject({
      exitCode: 1,
      retryable: true,
      hint: 'wait',
      localeKey: 'error-gemini-unavailable',
    });
    expect(new BotctlError('LOCKED', 'busy').exitCode).toBe(75);
    expect(new BotctlError('GEMINI_UNAVAILABLE', 'bad request', { retryable: false }).retryable).toBe(false);
  });
});
