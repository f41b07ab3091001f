/**
 * Where an interrupted `db move` stopped, kept in the target itself: one row per table, written
 * in the same transaction as each batch, so a move killed at any instant resumes exactly after
 * the last batch that committed. The table goes when the move completes; it is not part of the
 * schema (no migration creates it), and a target holding only it is not "non-empty".
 */
import type { MoveKey, MoveProgress } from '../../../domain/ports/index.js';

export const PROGRESS_TABLE = 'botctl_move_progress';

export interface ProgressRow {
  table_name: string;
  source: string;
  schema_id: number;
  schema_tag: string;
  done: number | boolean;
  last_key: string | null;
  copied: number | string;
}

export function progressDdl(integer: string): string {
  return `create table if not exists ${PROGRESS_TABLE} (
    table_name text primary key not null,
    source text not null,
    schema_id integer not null,
    schema_tag text not null,
    done ${integer} not null default 0,
    last_key text,
    copied ${integer} not null default 0
  )`;
}

export function toProgress(rows: readonly ProgressRow[]): MoveProgress | null {
  const [first] = rows;
  if (first === undefined) return null;
  return {
    source: first.source,
    schema: { id: Number(first.schema_id), tag: first.schema_tag },
    tables: new Map(
      rows.map((row) => [
        row.table_name,
        {
          done: Boolean(Number(row.done)),
          lastKey: row.last_key === null ? null : (JSON.parse(row.last_key) as MoveKey),
          copied: Number(row.copied),
        },
      ]),
    ),
  };
}

/** The last row's key values, in key order. */
export function keyOf(row: Readonly<Record<string, unknown>>, key: readonly string[]): MoveKey {
  return key.map((k) => row[k] as string | number);
}
