import { describe, expect, it } from 'vitest';
import {
  buildTitlePrompt,
  cleanTitle,
  interfaceLanguageFor,
  MAX_TITLE_CHARS,
  personaIds,
  selectableModels,
  userLanguageFor,
} from '../../src/domain/settings-rules.js';

describe('settings rules', () => {
  it('maps Telegram language codes to interface languages', () => {
    expect(interfaceLanguageFor('ru-RU')).toBe('ru');
    expect(interfaceLanguageFor('RU')).toBe('ru');
    expect(interfaceLanguageFor('de')).toBe('en');
    expect(interfaceLanguageFor(null)).toBe('en');
    expect(interfaceLanguageFor('ru_RU')).toBe('ru');
    // Rusyn is not Russian: only the primary subtag counts, not its first letters.
    expect(interfaceLanguageFor('rue')).toBe('en');
    expect(interfaceLanguageFor('pt')).toBe('en');
  });

  it("decides a new user's language from Telegram's language_code: the primary subtag, else en", () => {
    expect(userLanguageFor('pt-BR')).toBe('pt');
    expect(userLanguageFor('RU')).toBe('ru');
    expect(userLanguageFor('zh_Hans')).toBe('zh');
    expect(userLanguageFor('rue')).toBe('rue');
    expect(userLanguageFor(null)).toBe('en');
    expect(userLanguageFor(undefined)).toBe('en');
    expect(userLanguageFor('')).toBe('en');
    expect(userLanguageFor('x-klingon')).toBe('en');
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
