/**
 * The declared shape of a command's `--json` result (a static `jsonShape` on the command
 * class). oclif copies it into oclif.manifest.json, scripts/cli-contract.mjs records it in the
 * checked-in CLI contract, and tests check real output against it, so the declaration cannot
 * drift from what the command prints.
 *
 * Grammar: a string of '|'-separated primitives ('number', 'string', 'boolean', 'null',
 * 'unknown'); [shape] for an array; { key: shape } for an object, 'key?' when optional and
 * '*' for a map's values.
 */
export type JsonShape = string | readonly [JsonShape] | { readonly [key: string]: JsonShape };

const PRIMITIVES = new Set(['number', 'string', 'boolean', 'null', 'unknown']);

function primitiveOf(value: unknown): string {
  if (value === null) return 'null';
  return typeof value;
}

/** Every place where `value` does not fit `shape`, as "path: expected X, got Y"; empty when it fits. */
export function shapeErrors(value: unknown, shape: JsonShape, path = '$'): string[] {
  if (typeof shape === 'string') {
    const allowed = shape.split('|');
    const unknownNames = allowed.filter((name) => !PRIMITIVES.has(name));
    if (unknownNames.length > 0) return [`${path}: bad shape "${shape}"`];
    if (allowed.includes('unknown') || allowed.includes(primitiveOf(value))) return [];
    return [`${path}: expected ${shape}, got ${Array.isArray(value) ? 'array' : primitiveOf(value)}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${primitiveOf(value)}`];
    return value.flatMap((item, i) => shapeErrors(item, shape[0] as JsonShape, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: expected an object, got ${Array.isArray(value) ? 'array' : primitiveOf(value)}`];
  }
  const record = value as Record<string, unknown>;
  const objectShape = shape as Record<string, JsonShape>;
  if ('*' in objectShape) {
    return Object.entries(record).flatMap(([key, item]) =>
      shapeErrors(item, objectShape['*']!, `${path}.${key}`),
    );
  }
  const errors: string[] = [];
  const declared = new Set<string>();
  for (const [rawKey, itemShape] of Object.entries(objectShape)) {
    const optional = rawKey.endsWith('?');
    const key = optional ? rawKey.slice(0, -1) : rawKey;
    declared.add(key);
    if (!(key in record)) {
      if (!optional) errors.push(`${path}.${key}: missing`);
      continue;
    }
    errors.push(...shapeErrors(record[key], itemShape, `${path}.${key}`));
  }
  for (const key of Object.keys(record)) if (!declared.has(key)) errors.push(`${path}.${key}: not declared`);
  return errors;
}
