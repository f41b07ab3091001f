/**
 * Keeps src/locales/{en,ru}.ftl complete and honest: the same keys and variables in both,
 * every key the code asks for defined, and no key the code never uses. Keys are "used" when
 * the code names them as a string literal, or through one of the known key families built at
 * run time (error codes, persona ids, detail levels, voice modes, languages, commands).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentResource } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import { CHAT_COMMANDS } from '../../src/bot/commands-menu.js';
import { DETAIL_LEVELS, VOICE_REPLY_MODES } from '../../src/domain/entities.js';
import { BotctlError, ERROR_CODES, type ErrorCode } from '../../src/domain/errors.js';
import { BUILTIN_PERSONA_IDS } from '../../src/domain/personas.js';
import { INTERFACE_LANGUAGES } from '../../src/domain/settings-rules.js';
import { TRANSCRIPT_LABEL_KEYS } from '../../src/domain/transcript.js';
import { ALERT_KINDS } from '../../src/domain/alerts.js';
import { CHECKOUT_REFUSALS } from '../../src/domain/premium.js';

const root = fileURLToPath(new URL('../../src/', import.meta.url));
const KEY = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Families of keys the code builds at run time: `${prefix}${value}` for each value. */
const FAMILIES: Record<string, readonly string[]> = {
  'error-': (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) =>
    new BotctlError(code, '').localeKey.slice(6),
  ),
  'persona-': BUILTIN_PERSONA_IDS,
  'detail-': DETAIL_LEVELS,
  'spoken-': VOICE_REPLY_MODES,
  'language-': INTERFACE_LANGUAGES,
  'cmd-': CHAT_COMMANDS,
  'alert-': ALERT_KINDS,
  'premium-refused-': CHECKOUT_REFUSALS,
};
const familyKeys = Object.entries(FAMILIES).flatMap(([prefix, values]) => values.map((v) => `${prefix}${v}`));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [fs.readFileSync(full, 'utf8')] : [];
  });
}

interface Locale {
  keys: string[];
  variables: Map<string, string[]>;
  parsed: Set<string>;
}

function readLocale(code: string): Locale {
  const text = fs.readFileSync(path.join(root, 'locales', `${code}.ftl`), 'utf8');
  const keys: string[] = [];
  const variables = new Map<string, string[]>();
  let current = '';
  for (const line of text.split('\n')) {
    const head = /^([a-z][a-z0-9-]*)\s*=/.exec(line);
    if (head) keys.push((current = head[1]!));
    if (current && !line.startsWith('#')) {
      const found = [...line.matchAll(/\{\s*\$([a-zA-Z_]\w*)/g)].map((m) => m[1]!);
      variables.set(current, [...new Set([...(variables.get(current) ?? []), ...found])].sort());
    }
  }
  // The runtime parser drops entries with syntax errors: a key it does not see is broken.
  const parsed = new Set(new FluentResource(text).body.map((entry) => entry.id));
  return { keys, variables, parsed };
}

const code = sources(root).join('\n');
const en = readLocale('en');
const ru = readLocale('ru');
/** Keys passed to a translating call: t('x'), i18n.t(locale, 'x'), reply(ctx, 'x'), notice(ctx, 'x'). */
const called = new Set(
  [...code.matchAll(/\b(?:t|translate|reply|notice)\(\s*(?:[\w.]+,\s*)?['"]([a-z][a-z0-9-]*)['"]/g)]
    .map((m) => m[1]!)
    .filter((k) => KEY.test(k)),
);
const literals = new Set([...code.matchAll(/['"]([a-z][a-z0-9]*(?:-[a-z0-9]+)*)['"]/g)].map((m) => m[1]!));

describe('locales', () => {
  it('parse cleanly, with no key defined twice', () => {
    for (const locale of [en, ru]) {
      expect(
        locale.keys.filter((k) => !locale.parsed.has(k)),
        'entries with syntax errors',
      ).toEqual([]);
      expect(
        locale.keys.filter((k, i) => locale.keys.indexOf(k) !== i),
        'duplicate keys',
      ).toEqual([]);
    }
  });

  it('define the same keys with the same variables in English and Russian', () => {
    expect(
      en.keys.filter((k) => !ru.keys.includes(k)),
      'missing in ru.ftl',
    ).toEqual([]);
    expect(
      ru.keys.filter((k) => !en.keys.includes(k)),
      'missing in en.ftl',
    ).toEqual([]);
    const differ = en.keys.filter(
      (k) => JSON.stringify(en.variables.get(k)) !== JSON.stringify(ru.variables.get(k)),
    );
    expect(differ.map((k) => `${k}: en ${en.variables.get(k)} / ru ${ru.variables.get(k)}`)).toEqual([]);
  });

  it('define every key the code uses, including every key of each run-time family', () => {
    expect(
      [...called].filter((k) => !en.keys.includes(k)),
      'used in src/ but not defined',
    ).toEqual([]);
    expect(
      familyKeys.filter((k) => !en.keys.includes(k)),
      'family keys not defined',
    ).toEqual([]);
    // Export labels are looked up through a key table (the bot and the CLI share it).
    expect(
      Object.values(TRANSCRIPT_LABEL_KEYS).filter((k) => !en.keys.includes(k)),
      'transcript label keys not defined',
    ).toEqual([]);
  });

  it('build keys at run time only from known families', () => {
    const prefixes = [...code.matchAll(/\bt\(\s*`([a-z][a-z0-9-]*-)\$\{/g)].map((m) => m[1]!);
    expect(prefixes.length).toBeGreaterThan(0);
    expect(
      prefixes.filter((p) => !(p in FAMILIES)),
      'unknown key families',
    ).toEqual([]);
  });

  it('contain no key the code never uses', () => {
    const unused = en.keys.filter((k) => !literals.has(k) && !familyKeys.includes(k));
    expect(unused, 'defined but not used anywhere in src/').toEqual([]);
  });
});
