import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shapeErrors, type JsonShape } from '../../src/cli/json-shape.js';

describe('shapeErrors', () => {
  const shape: JsonShape = {
    name: 'string',
    size: 'number|null',
    'note?': 'string',
    tags: ['string'],
    counts: { '*': 'number' },
    extra: 'unknown',
  };

  it('accepts a value that fits, with or without optional keys', () => {
    expect(shapeErrors({ name: 'a', size: null, tags: [], counts: { x: 1 }, extra: [1] }, shape)).toEqual([]);
    expect(
      shapeErrors({ name: 'a', size: 2, note: 'n', tags: ['t'], counts: {}, extra: null }, shape),
    ).toEqual([]);
  });

  it('names every mismatch by path', () => {
    expect(
      shapeErrors({ name: 1, tags: ['a', 2], counts: { x: 'y' }, extra: 0, surprise: true }, shape),
    ).toEqual([
      '$.name: expected string, got number',
      '$.size: missing',
      '$.tags[1]: expected string, got number',
      '$.counts.x: expected number, got string',
      '$.surprise: not declared',
    ]);
    expect(shapeErrors([1], { a: 'number' })).toEqual(['$: expected an object, got array']);
    expect(shapeErrors({}, ['number'])).toEqual(['$: expected an array, got object']);
    expect(shapeErrors('x', 'text')).toEqual(['$: bad shape "text"']);
    expect(shapeErrors([], 'number')).toEqual(['$: expected number, got array']);
  });
});

describe('declared shapes (the built oclif.manifest.json)', () => {
  it('every command that takes --json declares the shape of its result', () => {
    const { commands } = JSON.parse(
      fs.readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8'),
    ) as { commands: Record<string, { flags: Record<string, unknown>; jsonShape?: JsonShape }> };
    const withJson = Object.entries(commands).filter(([, command]) => 'json' in command.flags);
    expect(withJson.length).toBeGreaterThan(20);
    expect(withJson.filter(([, command]) => command.jsonShape === undefined).map(([id]) => id)).toEqual([]);
  });
});
