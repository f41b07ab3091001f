/**
 * FileDownloader over the Bot API: getFile, then GET <apiRoot>/file/bot<token>/<file_path>.
 * Both URLs contain the bot token, so no URL ever reaches an error message or a log line.
 * The size is enforced while the bytes arrive, whatever getFile declared. A self-hosted Bot
 * API server in --local mode answers with an absolute path on its disk: read it directly
 * when this host can see it.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { BotctlError } from '../../domain/errors.js';
import type { FileDownloader } from '../../domain/ports/index.js';

export interface TelegramFilesOptions {
  token: string;
  apiRoot: string;
  /** For tests: a fetch that can be instrumented. */
  fetch?: typeof fetch;
}

interface GetFileAnswer {
  ok: boolean;
  description?: string;
  error_code?: number;
  result?: { file_path?: string; file_size?: number };
}

export function createTelegramFiles(options: TelegramFilesOptions): FileDownloader {
  const root = options.apiRoot.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  const tooLarge = (size: number | undefined, maxBytes: number) =>
    new BotctlError('INPUT_TOO_LARGE', `The file is larger than the ${maxBytes}-byte limit`, {
      params: { size: size ?? maxBytes + 1, limit: maxBytes },
    });
  const failed = (what: string, cause?: unknown) =>
    new BotctlError('TELEGRAM_ERROR', `Could not download the file: ${what}`, {
      retryable: true,
      ...(cause instanceof Error ? { cause: new Error(cause.name) } : {}),
    });

  async function getFile(fileId: string, maxBytes: number, signal?: AbortSignal) {
    let answer: GetFileAnswer;
    try {
      const res = await doFetch(`${root}/bot${options.token}/getFile`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ file_id: fileId }),
        signal: signal ?? null,
      });
      answer = (await res.json()) as GetFileAnswer;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw failed('Telegram is not reachable', error);
    }
    if (!answer.ok || !answer.result?.file_path) {
      if (/file is too big/i.test(answer.description ?? '')) throw tooLarge(undefined, maxBytes);
      throw failed(`getFile answered ${answer.error_code ?? '?'} ${answer.description ?? ''}`.trim());
    }
    const size = answer.result.file_size;
    if (size !== undefined && size > maxBytes) throw tooLarge(size, maxBytes);
    return answer.result.file_path;
  }

  async function readLocal(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (info.size > maxBytes) throw tooLarge(info.size, maxBytes);
    return readFile(path);
  }

  return {
    async download(fileId, { maxBytes, signal }) {
      const filePath = await getFile(fileId, maxBytes, signal);
      if (isAbsolute(filePath)) {
        const local = await readLocal(filePath, maxBytes);
        if (local) return local;
      }
      let res: Response;
      try {
        res = await doFetch(`${root}/file/bot${options.token}/${filePath}`, { signal: signal ?? null });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw failed('Telegram is not reachable', error);
      }
      if (!res.ok || !res.body) throw failed(`the download answered ${res.status}`);
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await res.body.cancel();
        throw tooLarge(declared, maxBytes);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      try {
        for await (const chunk of res.body) {
          total += chunk.byteLength;
          if (total > maxBytes) throw tooLarge(total, maxBytes);
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof BotctlError) throw error;
        if (signal?.aborted) throw signal.reason;
        throw failed('the download was cut off', error);
      }
      return Buffer.concat(chunks);
    },
  };
}
