/**
 * GFM tables. Telegram has no table markup and proportional fonts break column alignment,
 * so a table becomes a monospaced <pre> block with padded columns and plain-text cells.
 */
import { inlineToPlain } from './markdown-inline.js';
import type { RenderTarget } from './markdown-target.js';

type Align = 'left' | 'right' | 'center';

const DELIMITER_CELL = /^:?-+:?$/;

/** A header row followed by a delimiter row (`| --- | :-: |`) with the same number of cells. */
export function isTableStart(line: string, next: string | undefined): boolean {
  if (next === undefined || !line.includes('|') || !next.includes('|')) return false;
  const cells = splitCells(next);
  return cells.every((c) => DELIMITER_CELL.test(c)) && cells.length === splitCells(line).length;
}

export function isTableRow(line: string): boolean {
  return line.trim() !== '' && line.includes('|');
}

/** `lines`: header, delimiter row, then body rows. */
export function renderTable(lines: readonly string[], target: RenderTarget): string {
  const aligns: Align[] = splitCells(lines[1] ?? '').map((c) =>
    c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : 'left',
  );
  const rows = [lines[0] ?? '', ...lines.slice(2)].map((line) =>
    splitCells(line).map((cell) => inlineToPlain(cell).replaceAll('\n', ' ')),
  );
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, k) =>
    Math.max(1, ...rows.map((r) => Array.from(r[k] ?? '').length)),
  );
  const format = (row: string[]): string =>
    widths
      .map((w, k) => pad(row[k] ?? '', w, aligns[k] ?? 'left'))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const [header = [], ...body] = rows;
  return target.pre([format(header), rule, ...body.map(format)].join('\n'), null);
}

function splitCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

// Widths count code points: close enough for Latin and Cyrillic; wide CJK cells drift.
function pad(text: string, width: number, align: Align): string {
  const gap = width - Array.from(text).length;
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(Math.ceil(gap / 2));
  return text + ' '.repeat(gap);
}
