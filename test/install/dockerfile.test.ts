/**
 * The Dockerfile, read as data (there is no Docker engine in CI): it must build the layout the
 * production-install test runs (scripts/pack-install.sh into the app dir, nothing else copied
 * into the final image), and its base must ship a pg_dump at least as new as the PostgreSQL the
 * deployment templates run, since pg_dump refuses to dump a newer server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY, IMAGE_APP_DIR, PACK_INSTALL, ROOT } from './layout.js';

/** postgresql-client's major version in each Debian release (packages.debian.org). */
const DEBIAN_PG_CLIENT: Record<string, number> = { bullseye: 13, bookworm: 15, trixie: 17 };

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const [from = '', , name] = args.split(/\s+/);
      stages.push({ from, name, steps: [] });
    } else {
      stages.at(-1)?.steps.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

const stages = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const build = stages[0]!;
const runtime = stages.at(-1)!;
const debianRelease = (image: string) => /^node:(\d+)-(\w+)-slim$/.exec(image);

/** `image: postgres:NN...` in every template; the tag is literal, so rendering cannot change it. */
function templatePostgresMajors(): number[] {
  const dir = path.join(ROOT, 'templates');
  const majors: number[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(/image:\s*["']?postgres:([^\s"']+)/g)) {
      expect(match[1], `${entry.name}: the postgres tag must be literal`).not.toContain('{{');
      majors.push(Number.parseInt(match[1]!, 10));
    }
  }
  return majors;
}

describe('Dockerfile', () => {
  it('builds with the same script and layout as the production-install test', () => {
    expect(stages).toHaveLength(2);
    const runs = build.steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.at(-1)).toBe(`npm run build && ${PACK_INSTALL} ${IMAGE_APP_DIR}`);
    // Everything `npm run build` and `npm pack` read: the lockfile, the sources, package.json's "files".
    const copied = build.steps
      .filter((s) => s.op === 'COPY')
      .flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    const built = ['dist', 'oclif.manifest.json'];
    for (const needed of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'tsconfig.json',
      'tsconfig.build.json',
      'src',
      PACK_INSTALL,
      ...pkg.files.filter((f) => !built.includes(f)),
    ]) {
      expect(copied, needed).toContain(needed);
    }
    // The image holds the installed app dir and nothing else from the build context.
    const runtimeCopies = runtime.steps.filter((s) => s.op === 'COPY').map((s) => s.args);
    expect(runtimeCopies).toEqual([`--from=${build.name} ${IMAGE_APP_DIR} ${IMAGE_APP_DIR}`]);
    const entrypoint = JSON.parse(runtime.steps.find((s) => s.op === 'ENTRYPOINT')!.args) as string[];
    expect(entrypoint.slice(-2)).toEqual(['node', path.posix.join(IMAGE_APP_DIR, ENTRY)]);
  });

  it("ships a pg_dump at least as new as the templates' PostgreSQL, on a supported Node", () => {
    const majors = templatePostgresMajors();
    expect(majors.length).toBeGreaterThan(0);
    for (const stage of stages) expect(stage.from).toBe(runtime.from);
    const [, nodeMajor, release] = debianRelease(runtime.from) ?? [];
    expect(DEBIAN_PG_CLIENT, `unknown Debian release in ${runtime.from}`).toHaveProperty(release ?? '?');
    expect(DEBIAN_PG_CLIENT[release!]).toBeGreaterThanOrEqual(Math.max(...majors));
    const install = runtime.steps.find((s) => s.op === 'RUN' && s.args.includes('apt-get install'));
    expect(install?.args).toMatch(/\bpostgresql-client\b/);
    const engines = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    const floorMajor = Number(/(\d+)/.exec(engines.engines.node)![1]);
    expect(Number(nodeMajor)).toBeGreaterThanOrEqual(floorMajor);
  });
});
