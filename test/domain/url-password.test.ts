import { describe, expect, it } from 'vitest';
import { PASSWORD_MASK, maskUrlPassword, urlPassword } from '../../src/domain/url-password.js';

describe('maskUrlPassword and urlPassword: the one reader of URL passwords', () => {
  it.each([
    [
      'postgres with user and password',
      'postgres://bot:s3cret@db:5432/bot',
      'postgres://bot:****@db:5432/bot',
      's3cret',
    ],
    ['postgresql, no port', 'postgresql://u:Zq9@h/db', 'postgresql://u:****@h/db', 'Zq9'],
    [
      'redis with a password only',
      'redis://:hunter22@cache:6379/0',
      'redis://:****@cache:6379/0',
      'hunter22',
    ],
    [
      'rediss with user and password',
      'rediss://default:pw-77@cache:6380',
      'rediss://default:****@cache:6380',
      'pw-77',
    ],
    [
      'an unescaped @ : / # in the password',
      'postgres://bot:p@ss:w/rd#1@db/bot',
      'postgres://bot:****@db/bot',
      'p@ss:w/rd#1',
    ],
    [
      'a percent-encoded password',
      'postgres://bot:Sup3r%24ecret%40@db/bot',
      'postgres://bot:****@db/bot',
      'Sup3r%24ecret%40',
    ],
    ['an upper-case scheme', 'POSTGRES://bot:pw@db/bot', 'POSTGRES://bot:****@db/bot', 'pw'],
  ])('%s', (_name, url, masked, password) => {
    expect(maskUrlPassword(url)).toBe(masked);
    expect(urlPassword(url)).toBe(password);
    expect(maskUrlPassword(url)).not.toContain(password);
  });

  it.each([
    ['a user without a password', 'postgres://bot@db:5432/bot'],
    ['no user info at all', 'postgres://db:5432/bot'],
    ['redis without credentials', 'redis://127.0.0.1:6379'],
    ['an empty password', 'postgres://bot:@db/bot'],
    ['a SQLite path', '/var/lib/botctl/botctl.sqlite'],
    ['a file: URL', 'file:///var/lib/botctl/botctl.sqlite'],
    ['an unparsable string', 'not a url: at all @ here'],
    ['the empty string', ''],
  ])('leaves %s as it is', (_name, url) => {
    expect(maskUrlPassword(url)).toBe(url);
    expect(urlPassword(url)).toBeUndefined();
  });

  it('masks with the same text everywhere', () => {
    expect(PASSWORD_MASK).toBe('****');
  });
});
