/** botctl's own version, read once from its package.json (dist/app and src/app are both two levels down). */
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function botctlVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
