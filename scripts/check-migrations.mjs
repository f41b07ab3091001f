#!/usr/bin/env node
// Fails (exit 1, one line) when a schema.ts change has no generated migration, or when a
// migration has no .down.sql. drizzle-kit has no --check and exits 0 even when it only
// printed a rename prompt it could not ask (no terminal), so its output is what decides:
// it must say "No schema changes". It runs against a scratch copy of each folder, so the
// check never writes into migrations/.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const drizzleKit = join(root, 'node_modules', 'drizzle-kit', 'bin.cjs');
const dialects = [
  { name: 'sqlite', config: 'drizzle.sqlite.config.ts', folder: 'migrations/sqlite' },
  { name: 'pg', config: 'drizzle.pg.config.ts', folder: 'migrations/pg' },
];

function generate(config, out) {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [drizzleKit, 'generate', '--config', config],
      {
        cwd: root, // drizzle-kit prefixes `out` with './', so it must be relative to the root.
        env: { ...process.env, BOTCTL_MIGRATIONS_OUT: relative(root, out) },
        timeout: 120_000,
      },
      (error, stdout, stderr) => done({ error, output: `${stdout}\n${stderr}` }),
    );
    child.stdin?.end();
  });
}

async function missingDowns(folder) {
  const journal = JSON.parse(await readFile(join(root, folder, 'meta', '_journal.json'), 'utf8'));
  const files = new Set(await readdir(join(root, folder)));
  const tags = journal.entries.map((entry) => entry.tag);
  const orphans = [...files].filter(
    (f) => f.endsWith('.sql') && !f.endsWith('.down.sql') && !tags.includes(f.slice(0, -4)),
  );
  return [
    ...tags.filter((tag) => !files.has(`${tag}.down.sql`)),
    ...orphans.map((f) => `${f} (not in the journal)`),
  ];
}

async function check({ name, config, folder }) {
  const scratch = await mkdtemp(join(tmpdir(), `botctl-check-${name}-`));
  try {
    await cp(join(root, folder), scratch, { recursive: true });
    const { error, output } = await generate(config, scratch);
    if (!/No schema changes/i.test(output)) {
      const why = error
        ? `drizzle-kit failed: ${output.trim().split('\n').pop()}`
        : 'the schema has changes with no migration';
      return `${name}: ${why}; run \`npm run db:generate\` and add the .down.sql`;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const missing = await missingDowns(folder);
  if (missing.length > 0) return `${name}: no .down.sql for ${missing.join(', ')} in ${folder}/`;
  return null;
}

const problems = (await Promise.all(dialects.map(check))).filter((problem) => problem !== null);
if (problems.length > 0) {
  console.error(`check-migrations: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`check-migrations: ok (${dialects.map((d) => d.name).join(', ')})`);
