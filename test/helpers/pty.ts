/**
 * Runs the built CLI inside a pseudo-terminal (util-linux `script -qfec`), so its stdin is a
 * real TTY and the setup wizard prompts: wait for a prompt, type an answer, read the screen.
 * Needs `script` on PATH (Debian/Ubuntu: bsdutils, installed by default).
 */
import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface PtySession {
  /** Waits until the output after the previous match contains text; rejects with the screen on timeout. */
  expect(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Types a line and presses Enter. */
  type(line: string): void;
  /** Sends raw keys, e.g. '\x03' for Ctrl-C. */
  press(keys: string): void;
  /** Everything printed so far, terminal escape sequences removed. */
  readonly output: string;
  readonly exitCode: Promise<number>;
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
// CSI sequences (cursor moves, clears) that readline writes in terminal mode.
// eslint-disable-next-line no-control-regex -- matching the ESC byte is the point
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function spawnInPty(args: string[], env: Record<string, string | undefined> = {}): PtySession {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('BOTCTL_')));
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...base, NO_COLOR: '1', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Keys typed after the program ended are lost, as on a real terminal (not an EPIPE in the test).
  child.stdin.on('error', () => undefined);
  let raw = '';
  let cursor = 0;
  const onData = (chunk: Buffer) => (raw += chunk.toString('utf8'));
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exitCode = new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`cannot run util-linux \`script\`: ${error.message}`)));
    // 'close' comes after the output is drained, so nothing printed at the end is missed.
    child.on('close', (code) => resolve(code ?? -1));
  });
  let exited = false;
  void exitCode.then(
    () => (exited = true),
    () => (exited = true),
  );
  const screen = () => raw.replace(ANSI, '').replaceAll('\r', '');

  return {
    get output() {
      return screen();
    },
    exitCode,
    async expect(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rest = screen().slice(cursor);
        const match = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
        if (match >= 0) {
          cursor += match + 1;
          return rest.slice(match);
        }
        if (Date.now() > deadline || exited) {
          throw new Error(`expected ${String(text)} in the terminal; it shows:\n${screen()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    type(line) {
      child.stdin.write(`${line}\r`);
    },
    press(keys) {
      child.stdin.write(keys);
    },
  };
}
