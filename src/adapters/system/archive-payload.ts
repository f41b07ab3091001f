/**
 * The payload of a backup: the database copy gzipped (SQLite; a pg custom-format dump is
 * compressed already) and optionally passphrase-encrypted, written in one streaming pass that
 * also hashes it. Unpacking checks size and sha256 first, so a damaged file is reported as
 * damaged, not as a wrong passphrase or a gzip error.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { BotctlError } from '../../domain/errors.js';
import type { BackupManifest, Dialect, StoredBackup } from '../../domain/ports/index.js';
import { createEncryptStream, openEncrypted } from './crypto-stream.js';

type Payload = BackupManifest['payload'];

/**
 * zlib's default level. Measured on chat-like text: level 9 came out no smaller and slower;
 * levels 1-3 ran several times faster for files 10-20% larger. Backups are kept for weeks.
 */
const GZIP_LEVEL = 6;

/** I/O failures (no space, no permission) are the operator's to fix; anything else is damage. */
export function ioError(error: unknown, doing: string): BotctlError {
  if (error instanceof BotctlError) return error;
  const err = error as NodeJS.ErrnoException;
  return new BotctlError(
    'BACKUP_FAILED',
    `Could not ${doing}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' '),
    {
      cause: error,
      hint: 'check free space and permissions, or set backupDir (BOTCTL_BACKUP_DIR) to a writable directory',
    },
  );
}

export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function packPayload(
  raw: string,
  dir: string,
  options: { dialect: Dialect; passphrase?: string },
): Promise<Payload> {
  const compress = options.dialect === 'sqlite';
  const file = `${compress ? 'db.sqlite.gz' : 'db.pgdump'}${options.passphrase === undefined ? '' : '.enc'}`;
  const out = join(dir, file);
  try {
    if (!compress && options.passphrase === undefined) {
      await rename(raw, out);
      await chmod(out, 0o600); // pg_dump created it under the umask
    } else {
      const stages: Array<Readable | Transform | Writable> = [createReadStream(raw)];
      if (compress) stages.push(createGzip({ level: GZIP_LEVEL }));
      if (options.passphrase !== undefined) stages.push(await createEncryptStream(options.passphrase));
      stages.push(createWriteStream(out, { mode: 0o600 }));
      await pipeline(stages);
      await rm(raw, { force: true });
    }
    await syncFile(out);
    return { file, bytes: (await stat(out)).size, sha256: await sha256File(out) };
  } catch (error) {
    throw ioError(error, `write the backup payload ${out}`);
  }
}

const damaged = (backup: StoredBackup, why: string) =>
  new BotctlError('BACKUP_CORRUPT', `Backup ${backup.manifest.id} is damaged: ${why}`, {
    hint: 'restore from another backup (`botctl backup list`)',
  });

async function checkIntact(backup: StoredBackup, file: string): Promise<void> {
  const { payload } = backup.manifest;
  const size = await stat(file).then(
    (s) => s.size,
    () => -1,
  );
  if (size < 0) throw damaged(backup, `payload ${payload.file} is missing`);
  if (size !== payload.bytes)
    throw damaged(backup, `payload is ${size} bytes, the manifest says ${payload.bytes} (truncated?)`);
  if ((await sha256File(file)) !== payload.sha256) throw damaged(backup, 'checksum mismatch');
}

/** Checks, decrypts and decompresses the payload into `dest`. */
export async function unpackPayload(backup: StoredBackup, dest: string, passphrase?: string): Promise<void> {
  const { manifest } = backup;
  const file = join(backup.path, manifest.payload.file);
  await checkIntact(backup, file);
  if (manifest.encrypted && passphrase === undefined) {
    throw new BotctlError(
      'BACKUP_PASSPHRASE',
      `Backup ${manifest.id} is encrypted and no passphrase was given`,
      {
        hint: 'pass --passphrase-file <file>, --passphrase, or set BOTCTL_BACKUP_PASSPHRASE',
      },
    );
  }
  const source: Array<Readable | Transform> = manifest.encrypted
    ? await openEncrypted(file, passphrase as string)
    : [createReadStream(file)];
  if (manifest.compression === 'gzip') source.push(createGunzip());
  try {
    await pipeline([...source, createWriteStream(dest, { mode: 0o600 })]);
    await syncFile(dest);
  } catch (error) {
    // The checksum matched, so a decoding failure is tampering (or a bug); a failed system call
    // (no space, no permission) is the operator's to fix.
    if ((error as NodeJS.ErrnoException).syscall !== undefined) throw ioError(error, `write ${dest}`);
    throw damaged(backup, `cannot be decoded (${(error as Error).message})`);
  }
}
