/**
 * `npm run bench:ab -- <git ref>`: the engine's cost per answer on this work tree against another
 * commit, measured alternately. A single bench:bot run moves by up to 25% on a shared 2-core host,
 * more than most engine changes, so this runs the two builds in turn, each time on fresh fakes and a
 * fresh daemon (polling, SQLite or with BENCH_AB_DB=pg Postgres + Redis, pacing off: the engine
 * alone, like bench:bot's engine-sqlite and engine-pg):
 * BENCH_AB_WARMUP (1000) untimed answers from 50 users, then BENCH_AB_ROUNDS (4) bursts of 500 from
 * the same 50 users, BENCH_AB_PAIRS (3) times per build. It prints each burst's answers/s and CPU per
 * answer, and the means. The other commit is built in a temporary git worktree (its node_modules is
 * this tree's: compare commits with the same dependencies).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOTCTL_OVERRIDES, PACING_OFF, ROOT, startBotctl, withBot } from './lib/bots.js';
import { buildSnapshot } from './lib/child.js';
import { burst } from './lib/scenarios.js';
import { round, sleep } from './lib/stats.js';

const ref = process.argv[2];
if (!ref) {
  console.error('usage: npm run bench:ab -- <git ref>   (e.g. HEAD~3, a tag, a commit)');
  process.exit(2);
}
const WARMUP = Number(process.env.BENCH_AB_WARMUP ?? 1000);
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 4);
const PAIRS = Number(process.env.BENCH_AB_PAIRS ?? 3);
const BURST = 500;
/** BENCH_AB_DB=pg runs both builds on Postgres + Redis (a scratch database each daemon) instead of SQLite. */
const ON_POSTGRES = process.env.BENCH_AB_DB === 'pg';
const USERS = 50;
/** Checks the ref out into a temporary worktree and builds it; returns its root. */
function buildRef(commit: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-ab-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: ROOT, stdio: 'ignore' });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

/** One daemon of `build`: warm-up, then ROUNDS bursts; each burst's answers/s and CPU per answer. */
async function measure(build: string, base: number): Promise<Array<{ perSecond: number; cpuMs: number }>> {
  return withBot(
    (fakes) => startBotctl(fakes, { mode: 'polling', pg: ON_POSTGRES, env: PACING_OFF }, build),
    async (t) => {
      await burst(t, base, USERS, WARMUP, 'w');
      const rounds = [];
      for (let r = 0; r < ROUNDS; r++) {
        await sleep(500);
        const t0 = performance.now();
        const m = await burst(t, base, USERS, BURST, `b${r}-`);
        rounds.push({ perSecond: BURST / ((performance.now() - t0) / 1000), cpuMs: m.cost.botCpuMs });
      }
      return rounds;
    },
  );
}

const other = buildRef(ref);
const builds = { [ref]: buildSnapshot(other), 'this tree': buildSnapshot(ROOT) };
const results: Record<string, Array<{ perSecond: number; cpuMs: number }>> = { [ref]: [], 'this tree': [] };
const rows: Record<string, unknown>[] = [];
const loadBefore = os.loadavg()[0]!;
try {
  for (let pair = 0; pair < PAIRS; pair++) {
    for (const [name, build] of Object.entries(builds)) {
      console.error(`bench: ${name}, pair ${pair + 1} of ${PAIRS}`);
      const base = 1_000_000_000 + ((Date.now() % 1000) * 1000 + pair * 100) * 100;
      const rounds = await measure(build, base);
      results[name]!.push(...rounds);
      rows.push({
        build: name,
        pair: pair + 1,
        'answers/s by burst': rounds.map((r) => Math.round(r.perSecond)).join(' '),
        'CPU ms per answer by burst': rounds.map((r) => round(r.cpuMs)).join(' '),
      });
    }
  }
} finally {
  for (const build of Object.values(builds)) fs.rmSync(build, { recursive: true, force: true });
  execFileSync('git', ['worktree', 'remove', '--force', other], { cwd: ROOT, stdio: 'ignore' });
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(
  `botctl polling, ${ON_POSTGRES ? 'Postgres + Redis' : 'SQLite'}, pacing off (${Object.entries({
    ...BOTCTL_OVERRIDES,
    ...PACING_OFF,
  })
    .map(([k, v]) => `${k}=${v}`)
    .join(
      ' ',
    )}); ${WARMUP} warm-up answers, then ${ROUNDS} bursts of ${BURST} from ${USERS} users, ${PAIRS} daemons per build, alternating`,
);
console.table(rows);
console.table(
  Object.entries(results).map(([name, r]) => ({
    build: name,
    bursts: r.length,
    'mean answers/s': Math.round(mean(r.map((x) => x.perSecond))),
    'mean CPU ms per answer': round(mean(r.map((x) => x.cpuMs))),
  })),
);
console.log(
  `load average ${loadBefore.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores, node ${process.version}`,
);
