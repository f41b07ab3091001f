/**
 * The tiny renderer behind `setup --render`: plain files in templates/ with {{name}}
 * placeholders, no logic and no dependency. A placeholder without a value is an error, so a
 * template and the code that fills it cannot drift apart silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotctlError } from '../domain/errors.js';
import { makeDirs } from '../adapters/system/dirs.js';

/** templates/ of this package: dist/deploy -> ../../templates, and the same from src/deploy. */
const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

function renderTemplate(text: string, values: Readonly<Record<string, string>>, name = 'template'): string {
  return text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new BotctlError('INTERNAL', `${name} uses {{${key}}}, which has no value`);
    return value;
  });
}

export function renderTemplateFile(relative: string, values: Readonly<Record<string, string>>): string {
  return renderTemplate(readTemplateFile(relative), values, relative);
}

/** A template's text as it is, for files that take no values. */
export function readTemplateFile(relative: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, relative), 'utf8');
}

/** Writes through a temp file and a rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, body: string, mode: number): void {
  makeDirs(path.dirname(file), 'render dir', 0o755);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, body, { mode });
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new BotctlError('CONFIG_INVALID', `Cannot write ${file}: ${(error as Error).message}`, {
      hint: 'choose a writable directory with --render-dir',
    });
  }
}
