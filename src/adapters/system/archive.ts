/**
 * The backup directory (BackupStore). Layout, one directory per backup:
 *
 *   <backupDir>/<id>/manifest.json       what `list` shows; readable without the passphrase
 *   <backupDir>/<id>/db.sqlite.gz[.enc]  or db.pgdump[.enc]: the one payload file
 *   <backupDir>/.lock                    held by create, restore and prune (PID inside)
 *
 * A directory rather than one file: the manifest stays plain JSON (listing never decrypts or
 * decompresses), the checksum covers exactly the payload, and `cp -r`/`rsync` copy it offsite.
 * A backup is written in `.staging-<id>/` and renamed into place, so a crash never leaves a
 * half-written backup that looks complete; removal renames to `.deleting-<id>/` first.
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { BotctlError } from '../../domain/errors.js';
import type { BackupManifest, BackupStaging, BackupStore, StoredBackup } from '../../domain/ports/index.js';
import { ioError, packPayload, syncFile, unpackPayload } from './archive-payload.js';
import { makeDirs } from './dirs.js';
import { acquireLock } from './lock.js';
import { MANIFEST_FILE, readManifest } from './manifest.js';

const HIDDEN = /^\.(staging|deleting)-/;
const ID = /^[\w-]+$/;

export function createBackupStore(dir: string): BackupStore {
  const root = resolve(dir);

  async function ensureDir(): Promise<void> {
    try {
      makeDirs(root, 'backup directory');
    } catch (error) {
      // Kept a backup failure (exit 1): the message names the directory that could not be made.
      throw new BotctlError('BACKUP_FAILED', (error as Error).message, {
        cause: error,
        hint: 'set backupDir (BOTCTL_BACKUP_DIR) to a writable directory, or fix its owner and mode',
      });
    }
  }

  async function syncDir(path: string): Promise<void> {
    await syncFile(path).catch(() => undefined); // not every filesystem can fsync a directory
  }

  async function entries(): Promise<string[]> {
    try {
      return await readdir(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw ioError(error, `read the backup directory ${root}`);
    }
  }

  function staging(id: string, path: string): BackupStaging {
    return {
      rawFile: join(path, 'copy.raw'),
      pack: (options) => packPayload(join(path, 'copy.raw'), path, options),
      async commit(manifest: BackupManifest) {
        const target = join(root, id);
        try {
          const file = join(path, MANIFEST_FILE);
          await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
          await syncFile(file);
          await rename(path, target);
          await syncDir(root);
        } catch (error) {
          throw ioError(error, `finish the backup in ${target}`);
        }
        return { path: target, manifest };
      },
      abort: () => rm(path, { recursive: true, force: true }),
    };
  }

  return {
    dir: root,

    async lock(what) {
      await ensureDir();
      try {
        return acquireLock(root, '', what);
      } catch (error) {
        throw ioError(error, `take the lock in ${root}`);
      }
    },

    async list() {
      const backups: StoredBackup[] = [];
      const unreadable: string[] = [];
      for (const name of (await entries()).sort()) {
        if (name.startsWith('.')) continue;
        const path = join(root, name);
        try {
          backups.push({ path, manifest: await readManifest(join(path, MANIFEST_FILE)) });
        } catch {
          unreadable.push(path);
        }
      }
      backups.sort((a, b) => Date.parse(b.manifest.createdAt) - Date.parse(a.manifest.createdAt));
      return { backups, unreadable };
    },

    async resolve(ref) {
      const byId = ID.test(ref) ? join(root, ref) : undefined;
      const inStore = byId ? await readManifest(join(byId, MANIFEST_FILE)).catch(() => undefined) : undefined;
      if (byId && inStore) return { path: byId, manifest: inStore };
      const path = resolve(ref);
      const dir = basename(path) === MANIFEST_FILE ? dirname(path) : path;
      try {
        return { path: dir, manifest: await readManifest(join(dir, MANIFEST_FILE)) };
      } catch (error) {
        if (!(error instanceof BotctlError) || error.code !== 'NOT_FOUND') throw error;
        throw new BotctlError(
          'NOT_FOUND',
          `No backup "${ref}" in ${root}, and no backup directory at ${dir}`,
          {
            hint: '`botctl backup list` shows the ids; a path must name a backup directory or its manifest.json',
          },
        );
      }
    },

    async stage(id) {
      await ensureDir();
      const path = join(root, `.staging-${id}`);
      try {
        await mkdir(path, { mode: 0o700 });
      } catch (error) {
        throw ioError(error, `create ${path}`);
      }
      return staging(id, path);
    },

    unpack: unpackPayload,

    async scratchFile() {
      const dir = await mkdtemp(join(tmpdir(), 'botctl-verify-'));
      return { file: join(dir, 'copy'), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },

    async remove(backup) {
      const doomed = join(dirname(backup.path), `.deleting-${basename(backup.path)}`);
      try {
        await rename(backup.path, doomed);
        await rm(doomed, { recursive: true, force: true });
      } catch (error) {
        throw ioError(error, `remove ${backup.path}`);
      }
    },

    async sweep() {
      for (const name of await entries()) {
        if (HIDDEN.test(name)) await rm(join(root, name), { recursive: true, force: true });
      }
    },
  };
}
