/**
 * Process-level tests run the built CLI (bin/run.js -> dist/, what the Docker image runs).
 * CI builds before testing; on a fresh checkout this builds once when dist/ is missing.
 * After changing src/, run `npm run build` before the process-level tests.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  if (
    fs.existsSync(path.join(root, 'oclif.manifest.json')) &&
    fs.existsSync(path.join(root, 'dist', 'commands')) &&
    fs.existsSync(path.join(root, 'dist', 'panel', 'index.html'))
  )
    return;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
