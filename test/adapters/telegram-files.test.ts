// The Telegram file downloader against the fake Bot API (and a lying server): limits enforced
// before and during the download, and no token in any error.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramFiles } from '../../src/adapters/telegram/files.js';
import type { BotctlError } from '../../src/domain/errors.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';

const TOKEN = '123456:FILEStokenFILEStokenFILES';
let tg: FakeTelegram;

beforeAll(async () => {
  tg = await startFakeTelegram({ token: TOKEN, maxDownloadBytes: 1000 });
});
afterAll(() => tg.close());

const files = () => createTelegramFiles({ token: TOKEN, apiRoot: `${tg.apiRoot}/` });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as BotctlError,
  );

describe('Telegram files', () => {
  it('downloads a file through getFile and the file URL', async () => {
    tg.addFile({ fileId: 'voice-1', bytes: Buffer.from('OggS-bytes') });
    const bytes = await files().download('voice-1', { maxBytes: 100 });
    expect(Buffer.from(bytes).toString()).toBe('OggS-bytes');
    expect(tg.callsOf('downloadFile')).toHaveLength(1);
  });

  it('refuses by declared size before downloading, and when Telegram says the file is too big', async () => {
    tg.addFile({ fileId: 'big-1', bytes: Buffer.alloc(50), size: 500 });
    const declared = await failure(files().download('big-1', { maxBytes: 100 }));
    expect(declared).toMatchObject({ code: 'INPUT_TOO_LARGE', params: { size: 500, limit: 100 } });
    tg.addFile({ fileId: 'huge-1', bytes: Buffer.alloc(10), size: 5000 });
    expect((await failure(files().download('huge-1', { maxBytes: 10_000 }))).code).toBe('INPUT_TOO_LARGE');
    expect(tg.callsOf('downloadFile').filter((c) => /file_/.test(String(c.params.file_path)))).toHaveLength(
      1,
    );
  });

  it('stops a download that grows past the limit whatever was declared', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.includes('/getFile')) {
        res.end(
          JSON.stringify({ ok: true, result: { file_id: 'x', file_path: 'voice/x.oga', file_size: 10 } }),
        );
        return;
      }
      res.writeHead(200); // no content-length: chunked
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100, i));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const root = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const error = await failure(
      createTelegramFiles({ token: TOKEN, apiRoot: root }).download('x', { maxBytes: 500 }),
    );
    expect(error.code).toBe('INPUT_TOO_LARGE');
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads an absolute path of a local Bot API server from disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-local-api-'));
    const file = path.join(dir, 'voice.oga');
    fs.writeFileSync(file, 'local bytes');
    const fetcher: typeof fetch = async () =>
      new Response(JSON.stringify({ ok: true, result: { file_path: file, file_size: 11 } }));
    const bytes = await createTelegramFiles({
      token: TOKEN,
      apiRoot: 'http://local',
      fetch: fetcher,
    }).download('y', {
      maxBytes: 100,
    });
    expect(Buffer.from(bytes).toString()).toBe('local bytes');
    const tooBig = createTelegramFiles({ token: TOKEN, apiRoot: 'http://local', fetch: fetcher }).download(
      'y',
      {
        maxBytes: 5,
      },
    );
    expect((await failure(tooBig)).code).toBe('INPUT_TOO_LARGE');
  });

  it('reports unknown files and unreachable servers as TELEGRAM_ERROR without the token', async () => {
    const unknown = await failure(files().download('no-such-file', { maxBytes: 100 }));
    expect(unknown.code).toBe('TELEGRAM_ERROR');
    expect(unknown.message).toMatch(/getFile answered 400 Bad Request: invalid file_id/);
    const down = await failure(
      createTelegramFiles({ token: TOKEN, apiRoot: 'http://127.0.0.1:9' }).download('a', { maxBytes: 100 }),
    );
    expect(down).toMatchObject({ code: 'TELEGRAM_ERROR', retryable: true });
    for (const error of [unknown, down]) {
      expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(TOKEN);
    }
  });

  it("passes an abort through as the caller's reason", async () => {
    tg.addFile({ fileId: 'slow-1', bytes: Buffer.from('x') });
    tg.setLatency(300, 'getFile');
    const controller = new AbortController();
    const pending = files().download('slow-1', { maxBytes: 100, signal: controller.signal });
    controller.abort(new Error('stopped by user'));
    await expect(pending).rejects.toThrow('stopped by user');
    tg.setLatency(0, 'getFile');
  });
});
