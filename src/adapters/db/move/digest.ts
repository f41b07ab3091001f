/**
 * The per-table digest `db move` compares on both sides. It hashes the values the schema maps a
 * row to (a Date, a number, parsed JSON), not the stored bytes, so the same row hashes the same
 * in SQLite (integer milliseconds, JSON text) and Postgres (timestamptz, jsonb with its own key
 * order). Each row's SHA-256 is added up modulo 2^256: the sum does not depend on the order rows
 * are read in, which matters because the two dialects order text keys differently (Postgres by
 * the database's collation, SQLite by bytes) and forcing one order would cost Postgres its index.
 */
import { createHash } from 'node:crypto';
import type { MoveRow, TableDigest } from '../../../domain/ports/index.js';

const MODULUS = 1n << 256n;

/** A value as text that does not depend on the dialect that produced it. */
function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { $date: value.getTime() };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

export function rowText(row: MoveRow, columns: readonly string[]): string {
  return JSON.stringify(columns.map((column) => canonical(row[column])));
}

export interface Digester {
  add(rows: readonly MoveRow[]): void;
  result(): TableDigest;
}

/** `columns`: the table's property names, sorted, the same list on both dialects. */
export function createDigester(columns: readonly string[]): Digester {
  let sum = 0n;
  let rows = 0;
  return {
    add(batch) {
      for (const row of batch) {
        const hex = createHash('sha256').update(rowText(row, columns)).digest('hex');
        sum = (sum + BigInt(`0x${hex}`)) % MODULUS;
        rows += 1;
      }
    },
    result: () => ({ rows, digest: sum.toString(16).padStart(64, '0') }),
  };
}
