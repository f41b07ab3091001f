/** Small builders so each check reads as its rule, plus the formatting the checks share. */
import type { CheckOutcome } from '../types.js';

export const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
export const warn = (detail: string, hint?: string): CheckOutcome => ({
  status: 'warn',
  detail,
  ...(hint ? { hint } : {}),
});
export const fail = (detail: string, hint?: string): CheckOutcome => ({
  status: 'fail',
  detail,
  ...(hint ? { hint } : {}),
});

const GB = 1024 ** 3;
const MB = 1024 ** 2;

export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  return `${Math.round(bytes / MB)} MB`;
}

export function formatAge(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(0, Math.round(ms / 60_000))} min ago`;
  if (hours < 48) return `${Math.round(hours)} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;
