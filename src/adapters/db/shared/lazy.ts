/**
 * Builds a value on first use. SQLite compiles a prepared statement against the live schema,
 * so statements cannot be prepared before the migrator has created the tables.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
