import { describe, expect, it } from 'vitest';
import { DETAIL_LEVELS } from '../../src/domain/entities.js';
import {
  BUILTIN_PERSONA_IDS,
  BUILTIN_PERSONAS,
  buildSystemInstruction,
  languageName,
  maxOutputTokensFor,
  resolvePersona,
} from '../../src/domain/prompt.js';

const base = {
  basePrompt: 'You are botctl, run by Example Ltd.',
  persona: resolvePersona('coder'),
  customPrompt: null,
  detailLevel: 'brief' as const,
  language: 'ru',
  timezone: 'Asia/Tokyo',
  now: new Date('2025-03-01T20:30:00Z'),
};

describe('buildSystemInstruction', () => {
  it('puts base prompt, persona, local time, detail guidance and language in that order', () => {
    const text = buildSystemInstruction(base);
    const parts = text.split('\n\n');
    expect(parts[0]).toBe('You are botctl, run by Example Ltd.');
    expect(parts[1]).toBe(BUILTIN_PERSONAS.coder);
    expect(parts[2]).toBe(
      'Current date and time for the user: Sunday, 2025-03-02 05:30 (Asia/Tokyo, UTC+09:00).',
    );
    expect(parts[3]).toMatch(/^Be brief/);
    expect(parts[4]).toBe('Answer in Russian unless the user writes in another language or asks for one.');
    expect(text).toContain('Do not use HTML');
  });

  it('adds the user’s own prompt last, fenced and subordinate', () => {
    const text = buildSystemInstruction({ ...base, customPrompt: '  Call me Captain.  ' });
    expect(
      text.endsWith(
        'Honour them where they do not conflict with the rules above:\n"""\nCall me Captain.\n"""',
      ),
    ).toBe(true);
    expect(buildSystemInstruction({ ...base, customPrompt: '   ' })).not.toContain('own instructions');
  });

  it('falls back to UTC for an unknown zone and works without a base prompt', () => {
    const text = buildSystemInstruction({ ...base, basePrompt: undefined, timezone: 'Nowhere/Land' });
    expect(text.startsWith(BUILTIN_PERSONAS.coder)).toBe(true);
    expect(text).toContain(
      'Current date and time for the user: Saturday, 2025-03-01 20:30 (UTC, UTC+00:00).',
    );
  });

  it('tells each zone its own time, minute by minute, however often it is asked', () => {
    const clock = (timezone: string, iso: string) =>
      buildSystemInstruction({ ...base, timezone, now: new Date(iso) }).split('\n\n')[2];
    // Within one minute a zone reads the same; the next minute and another zone read their own.
    expect(clock('Asia/Tokyo', '2025-03-01T20:30:59.999Z')).toContain('2025-03-02 05:30 (Asia/Tokyo');
    expect(clock('Asia/Tokyo', '2025-03-01T20:31:00.000Z')).toContain('2025-03-02 05:31 (Asia/Tokyo');
    expect(clock('Europe/Berlin', '2025-03-01T20:31:00.000Z')).toContain(
      'Saturday, 2025-03-01 21:31 (Europe/Berlin',
    );
    expect(clock('Asia/Tokyo', '2025-03-01T20:30:00.000Z')).toContain('2025-03-02 05:30 (Asia/Tokyo');
    // Summer time starts in Berlin at 01:00 UTC on 2025-03-30: the minute before and the one after.
    expect(clock('Europe/Berlin', '2025-03-30T00:59:30Z')).toContain('01:59 (Europe/Berlin, UTC+01:00)');
    expect(clock('Europe/Berlin', '2025-03-30T01:00:00Z')).toContain('03:00 (Europe/Berlin, UTC+02:00)');
  });

  it('varies the guidance with the detail level', () => {
    const texts = DETAIL_LEVELS.map((detailLevel) => buildSystemInstruction({ ...base, detailLevel }));
    expect(new Set(texts).size).toBe(3);
    expect(texts[2]).toContain('Be thorough');
  });
});

describe('maxOutputTokensFor', () => {
  it('grows with the detail level and leaves room for thinking', () => {
    expect(DETAIL_LEVELS.map(maxOutputTokensFor)).toEqual([2048, 8192, 16384]);
  });
});

describe('personas', () => {
  it('has a non-trivial prompt for each built-in persona', () => {
    expect(Object.keys(BUILTIN_PERSONAS)).toEqual([...BUILTIN_PERSONA_IDS]);
    expect(BUILTIN_PERSONA_IDS).toEqual(['assistant', 'translator', 'coder', 'tutor', 'editor']);
    for (const id of BUILTIN_PERSONA_IDS) expect(BUILTIN_PERSONAS[id].length).toBeGreaterThan(80);
  });

  it('resolves unknown ids to the assistant', () => {
    expect(resolvePersona('editor')).toEqual({ id: 'editor', prompt: BUILTIN_PERSONAS.editor });
    expect(resolvePersona('retired')).toEqual({ id: 'assistant', prompt: BUILTIN_PERSONAS.assistant });
    expect(resolvePersona('toString')).toEqual({ id: 'assistant', prompt: BUILTIN_PERSONAS.assistant });
  });

  it('names languages for instructions', () => {
    expect(languageName('en')).toBe('English');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
    expect(languageName('!!')).toBe('!!');
    // Asked again (answered from memory): the same names.
    expect([languageName('en'), languageName('pt-BR'), languageName('!!')]).toEqual([
      'English',
      'Brazilian Portuguese',
      '!!',
    ]);
  });
});
