import { describe, expect, it } from 'vitest';
import {
  buildTitlePrompt,
  cleanTitle,
  interfaceLanguageFor,
  MAX_TITLE_CHARS,
  personaIds,
  selectableModels,
} from '../../src/domain/settings-rules.js';
import { normalizeTimeZone, zoneFromLocation } from '../../src/domain/timezones.js';

describe('time zones', () => {
  it('accepts IANA names in any case and returns their proper spelling', () => {
    expect(normalizeTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(normalizeTimeZone(' utc ')).toBe('UTC');
    // Our own spelling wins over ICU's canonical old names (Europe/Kiev, Asia/Calcutta).
    expect(normalizeTimeZone('europe/kyiv')).toBe('Europe/Kyiv');
    expect(normalizeTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(normalizeTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(normalizeTimeZone('Etc/GMT+3')).toBe('Etc/GMT+3');
  });

  it('refuses unknown zones, offsets and anything that is not a zone name', () => {
    for (const input of ['Mars/Base', '+03:00', 'Europe/', '', 'Europe/Berlin; drop table', 'a/b/c/d']) {
      expect(normalizeTimeZone(input), input).toBeNull();
    }
  });

  it('picks the zone of the nearest major city to a location', () => {
    expect(zoneFromLocation(55.75, 37.6)).toBe('Europe/Moscow');
    expect(zoneFromLocation(40.7, -74)).toBe('America/New_York');
    expect(zoneFromLocation(-33.9, 151.2)).toBe('Australia/Sydney');
    expect(zoneFromLocation(56.8, 60.6)).toBe('Asia/Yekaterinburg');
    // Across the date line: Auckland, not a city on the other side of the map.
    expect(zoneFromLocation(-36.8, 179.9)).toBe('Pacific/Auckland');
  });
});

describe('settings rules', () => {
  it('maps Telegram language codes to interface languages', () => {
    expect(interfaceLanguageFor('ru-RU')).toBe('ru');
    expect(interfaceLanguageFor('RU')).toBe('ru');
    expect(interfaceLanguageFor('de')).toBe('en');
    expect(interfaceLanguageFor(null)).toBe('en');
  });

  it('lists built-in personas first, operator ones after, without duplicates', () => {
    expect(personaIds({ pirate: 'x', coder: 'replaced' })).toEqual([
      'assistant',
      'translator',
      'coder',
      'tutor',
      'editor',
      'pirate',
    ]);
  });

  it('offers the default model first, then the allow-list', () => {
    expect(selectableModels('gemini-flash-latest', ['gemini-2.5-pro', 'gemini-flash-latest'])).toEqual([
      'gemini-flash-latest',
      'gemini-2.5-pro',
    ]);
  });

  it('cleans model titles to one short line', () => {
    expect(cleanTitle('"**Soup recipes**"\n\nmore text')).toBe('Soup recipes');
    expect(cleanTitle('Title: «Рецепты супа»')).toBe('Рецепты супа');
    expect(cleanTitle('   \n  ')).toBe('');
    const long = cleanTitle('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toMatch(/\s…$/);
  });

  it('asks for a title in the user language with both sides of the first exchange, clipped', () => {
    const prompt = buildTitlePrompt('q'.repeat(2000), 'the answer', 'Russian');
    expect(prompt).toContain('default: Russian');
    expect(prompt).toContain('Assistant: the answer');
    expect(prompt).toContain(`User: ${'q'.repeat(1500)}…`);
  });
});
