/** WHERE clauses that read the same on both dialects (drizzle operators are dialect-neutral). */
import { and, eq, gte, type Column, type SQL } from 'drizzle-orm';
import type { UserFilter } from '../../../domain/ports.js';

export interface UserFilterColumns {
  role: Column;
  status: Column;
  language: Column;
  lastSeenAt: Column;
}

export function userFilterWhere(cols: UserFilterColumns, filter: UserFilter = {}): SQL | undefined {
  return and(
    filter.role === undefined ? undefined : eq(cols.role, filter.role),
    filter.status === undefined ? undefined : eq(cols.status, filter.status),
    filter.language === undefined ? undefined : eq(cols.language, filter.language),
    filter.activeSince === undefined ? undefined : gte(cols.lastSeenAt, filter.activeSince),
  );
}
