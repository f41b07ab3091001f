/**
 * What the metrics read at scrape time beside the database: the data dir's file system, and a
 * cache so a source that costs more than an index lookup (listing backup manifests) runs at most
 * once per interval however often Prometheus scrapes.
 */
import fs from 'node:fs';
import path from 'node:path';

/** `read` at most once per `ttlMs`; scrapes meanwhile get the last value (or share the read in flight). */
export function cachedFor<T>(ttlMs: number, read: () => Promise<T>, now = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (!last || t - last.at >= ttlMs) {
      const value = read();
      last = { at: t, value };
      // A failed read is not kept: the next scrape tries again.
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}

/** Free (to an unprivileged user) and total bytes of the file system holding `dir` or its nearest existing parent. */
export async function fileSystemSpace(dir: string): Promise<{ freeBytes: number; sizeBytes: number } | null> {
  let target = path.resolve(dir);
  while (!fs.existsSync(target) && path.dirname(target) !== target) target = path.dirname(target);
  try {
    const stats = await fs.promises.statfs(target);
    return { freeBytes: stats.bavail * stats.bsize, sizeBytes: stats.blocks * stats.bsize };
  } catch {
    return null;
  }
}
