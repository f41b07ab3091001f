/**
 * The config file in the data dir: JSON, mode 0600 in a 0700 directory, written atomically
 * (temp file, fsync, rename) so a crash or Ctrl-C never leaves half a file. The previous
 * version is kept as config.json.bak (also 0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BotctlError } from '../domain/errors.js';
import { makeDirs } from '../adapters/system/dirs.js';
import { CONFIG_FILE_NAME } from './config.js';

export function configFilePath(dataDir: string): string {
  return path.join(dataDir, CONFIG_FILE_NAME);
}

/** The parsed file, or undefined when it does not exist. */
export function readConfigFile(dataDir: string): Record<string, unknown> | undefined {
  const file = configFilePath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BotctlError('CONFIG_INVALID', `Cannot read ${file}: ${(error as Error).message}`, {
      hint: 'check the file permissions and that --data-dir points at the right directory',
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new BotctlError('CONFIG_INVALID', `${file} is not a valid JSON object`, {
      hint: `restore ${CONFIG_FILE_NAME}.bak or run \`botctl setup\` again`,
    });
  }
}

export function writeConfigFile(dataDir: string, values: Record<string, unknown>): void {
  ensureDataDir(dataDir);
  const file = configFilePath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  const body = `${JSON.stringify(values, null, 2)}\n`;
  try {
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, body);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fs.existsSync(file)) fs.copyFileSync(file, `${file}.bak`);
    if (fs.existsSync(`${file}.bak`)) fs.chmodSync(`${file}.bak`, 0o600);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new BotctlError('CONFIG_INVALID', `Cannot write ${file}: ${(error as Error).message}`, {
      hint: 'check that the data dir is writable by this user',
    });
  }
}

/** Creates the data dir (and missing parents) with mode 0700; one line naming the path when it cannot. */
function ensureDataDir(dataDir: string): void {
  makeDirs(dataDir, 'data dir');
}
