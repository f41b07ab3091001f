/**
 * `npm run lint:cycles` (scripts/check-cycles.mjs) refuses an import cycle, type-only and
 * dynamic imports included, and names the loop; a tree without one passes. Run as a process on
 * a scratch tree, as lint runs it on src/.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../../scripts/check-cycles.mjs');
let dir: string | undefined;
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the files under a scratch dir and runs the checker on it. */
function check(files: Record<string, string>): Promise<{ code: number; out: string }> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-cycles-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return new Promise((resolve) =>
    execFile(process.execPath, [script, dir!], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

describe('the import cycle check', () => {
  it('refuses a cycle and names it', async () => {
    const { code, out } = await check({
      'services/a/index.ts': "import { b } from '../b/index.js';\nexport const a = b;\n",
      'services/b/index.ts': "export type { C } from './c.js';\nexport const b = 1;\n",
      'services/b/c.ts': "export type C = typeof import('../a/index.js');\n",
    });
    expect(code).toBe(1);
    expect(out).toContain('import cycle: services/a/index.ts -> services/b/index.ts -> services/b/c.ts');
  });

  it('counts a dynamic import as an edge', async () => {
    const { code, out } = await check({
      'app/root.ts': "export const load = () => import('./index.js');\n",
      'app/index.ts': "import { load } from './root.js';\nexport { load };\n",
    });
    expect(code).toBe(1);
    expect(out).toContain('import cycle: app/index.ts -> app/root.ts -> app/index.ts');
  });

  it('passes a tree without one', async () => {
    const { code, out } = await check({
      'domain/a.ts': 'export const a = 1;\n',
      'services/b.ts': "import { a } from '../domain/a.js';\nexport const b = a;\n",
    });
    expect(code).toBe(0);
    expect(out).toContain('no import cycle among 2 files');
  });
});
