/** The jsonShape a command declares (read from the built manifest, as the CLI contract does). */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shapeErrors, type JsonShape } from '../../src/cli/json-shape.js';

const MANIFEST = fileURLToPath(new URL('../../oclif.manifest.json', import.meta.url));

export function declaredShape(commandId: string): JsonShape {
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as {
    commands: Record<string, { jsonShape?: JsonShape }>;
  };
  const shape = manifest.commands[commandId.replaceAll(' ', ':')]?.jsonShape;
  if (shape === undefined) throw new Error(`${commandId} declares no jsonShape in oclif.manifest.json`);
  return shape;
}

/** Mismatches between a real --json result and what the command declares; [] when it fits. */
export const shapeMismatches = (commandId: string, result: unknown) =>
  shapeErrors(result, declaredShape(commandId));
