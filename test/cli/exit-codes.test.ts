import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_MEANINGS, EXIT_CODES_HELP } from '../../src/cli/exit-codes.js';
import Stats from '../../src/commands/stats.js';
import UsersList from '../../src/commands/users/list.js';
import { EXIT } from '../../src/domain/errors.js';

describe('exit codes in help and README', () => {
  it('names every exit code in the help text, and README lists the same codes', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('### Error codes'));
    const documented = [...table.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    expect(documented.sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
    for (const code of Object.values(EXIT)) {
      expect(EXIT_CODE_MEANINGS[code], `meaning of ${code}`).toBeTruthy();
      expect(EXIT_CODES_HELP).toContain(`${code} ${EXIT_CODE_MEANINGS[code]}`);
    }
    expect(Stats.description?.endsWith(EXIT_CODES_HELP)).toBe(true);
    expect(UsersList.description?.endsWith(EXIT_CODES_HELP)).toBe(true);
  });

  it('ends the description of every command in the built manifest with them', () => {
    const { commands } = JSON.parse(
      fs.readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8'),
    ) as { commands: Record<string, { description?: string }> };
    expect(Object.keys(commands).length).toBeGreaterThan(20);
    const without = Object.entries(commands)
      .filter(([, command]) => !command.description?.endsWith(EXIT_CODES_HELP))
      .map(([id]) => id);
    expect(without).toEqual([]);
  });
});
