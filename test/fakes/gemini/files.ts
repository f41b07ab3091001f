// The Files API as @google/genai drives it: a resumable "start" (JSON metadata, answered with an
// x-goog-upload-url header), then "upload[, finalize]" POSTs of raw bytes to that URL, answered with
// x-goog-upload-status and, when final, { file }.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../shared/http.js';
import { googleError } from './errors.js';

export interface GeminiFile {
  /** 'files/<id>' */
  name: string;
  displayName?: string;
  mimeType: string;
  sizeBytes: string;
  createTime: string;
  updateTime: string;
  expirationTime: string;
  sha256Hash: string;
  uri: string;
  state: 'PROCESSING' | 'ACTIVE' | 'FAILED';
  source: 'UPLOADED';
}

export interface StoredGeminiFile {
  file: GeminiFile;
  bytes: Buffer;
  /** Epoch ms when the file turns ACTIVE. */
  activeAt: number;
}

interface Session {
  metadata: { displayName?: string; mimeType?: string; name?: string };
  mimeType: string;
  chunks: Buffer[];
}

let sessionCounter = 0;

export class GeminiFiles {
  readonly stored = new Map<string, StoredGeminiFile>();
  private sessions = new Map<string, Session>();

  constructor(
    private readonly origin: () => string,
    private readonly processingMs: () => number,
  ) {}

  /** POST /upload/<v>/files: start a session, or append to one when ?upload_id= is present. */
  async upload(req: IncomingMessage, res: ServerResponse, apiVersion: string, url: URL): Promise<void> {
    const body = await readBody(req);
    const uploadId = url.searchParams.get('upload_id');
    const command = String(req.headers['x-goog-upload-command'] ?? '').toLowerCase();
    if (uploadId === null) {
      if (command !== 'start') {
        sendJson(
          res,
          400,
          googleError({ status: 400, message: 'Only resumable uploads are supported by the fake.' }),
        );
        return;
      }
      const parsed =
        body.length > 0 ? (JSON.parse(body.toString('utf8')) as { file?: Session['metadata'] }) : {};
      const id = `upload-${++sessionCounter}-${Date.now().toString(36)}`;
      const declared = req.headers['x-goog-upload-header-content-type'];
      this.sessions.set(id, {
        metadata: parsed.file ?? {},
        mimeType:
          parsed.file?.mimeType ?? (typeof declared === 'string' ? declared : 'application/octet-stream'),
        chunks: [],
      });
      const uploadUrl = `${this.origin()}/upload/${apiVersion}/files?upload_id=${id}&upload_protocol=resumable`;
      res.writeHead(200, {
        'x-goog-upload-status': 'active',
        'x-goog-upload-url': uploadUrl,
        'x-goog-upload-control-url': uploadUrl,
        'x-goog-upload-chunk-granularity': '8388608',
        'content-type': 'text/plain; charset=utf-8',
        'content-length': '0',
      });
      res.end();
      return;
    }
    const session = this.sessions.get(uploadId);
    if (session === undefined) {
      sendJson(res, 404, googleError({ status: 404, message: 'Upload session not found.' }));
      return;
    }
    session.chunks.push(body);
    if (!command.includes('finalize')) {
      res.writeHead(200, { 'x-goog-upload-status': 'active', 'content-length': '0' });
      res.end();
      return;
    }
    this.sessions.delete(uploadId);
    const stored = this.create(session, apiVersion);
    sendJson(res, 200, { file: this.view(stored) }, { 'x-goog-upload-status': 'final' });
  }

  private create(session: Session, apiVersion: string): StoredGeminiFile {
    const bytes = Buffer.concat(session.chunks);
    const id = (
      session.metadata.name?.replace(/^files\//, '') ?? Math.random().toString(36).slice(2, 14)
    ).toLowerCase();
    const now = new Date();
    const file: GeminiFile = {
      name: `files/${id}`,
      mimeType: session.mimeType,
      sizeBytes: String(bytes.length),
      createTime: now.toISOString(),
      updateTime: now.toISOString(),
      expirationTime: new Date(now.getTime() + 48 * 3600 * 1000).toISOString(),
      sha256Hash: createHash('sha256').update(bytes).digest('base64'),
      uri: `${this.origin()}/${apiVersion}/files/${id}`,
      state: 'ACTIVE',
      source: 'UPLOADED',
    };
    if (session.metadata.displayName !== undefined) file.displayName = session.metadata.displayName;
    const stored: StoredGeminiFile = { file, bytes, activeAt: Date.now() + this.processingMs() };
    this.stored.set(file.name, stored);
    return stored;
  }

  /** The file as clients see it now: PROCESSING until its processing time has passed. */
  view(stored: StoredGeminiFile): GeminiFile {
    return { ...stored.file, state: Date.now() >= stored.activeAt ? stored.file.state : 'PROCESSING' };
  }

  get(res: ServerResponse, id: string): void {
    const stored = this.stored.get(`files/${id}`);
    if (stored === undefined) {
      // The real API does not say "not found" for files: it answers 403 for both cases.
      sendJson(
        res,
        403,
        googleError({
          status: 403,
          message: `You do not have permission to access the File ${id} or it may not exist.`,
        }),
      );
      return;
    }
    sendJson(res, 200, this.view(stored));
  }

  list(res: ServerResponse): void {
    sendJson(res, 200, { files: [...this.stored.values()].map((s) => this.view(s)) });
  }

  delete(res: ServerResponse, id: string): void {
    if (!this.stored.delete(`files/${id}`)) return this.get(res, id);
    sendJson(res, 200, {});
  }

  reset(): void {
    this.stored.clear();
    this.sessions.clear();
  }
}
