// Request parameters the way the Bot API accepts them: query string, JSON, urlencoded or multipart.
// grammY switches to multipart as soon as a payload holds an InputFile, sends every other field as a
// string (objects JSON-encoded) and references each file part as "attach://<random id>".
import type { IncomingMessage } from 'node:http';
import { readBody } from '../shared/http.js';
import { badRequest } from './errors.js';

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
  contentType: string;
}

export type Params = Record<string, unknown>;

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).bytes);
}

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export async function parseParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of url.searchParams) params[key] = coerce(key, value);
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest("can't parse JSON object");
    }
    return { ...params, ...(parsed as Params) };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = coerce(key, value);
    return params;
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const value = boundary?.[1] ?? boundary?.[2];
    if (value === undefined) throw badRequest('wrong multipart/form-data: no boundary');
    return { ...params, ...multipartParams(parseMultipart(body, value.trim())) };
  }
  return params;
}

function multipartParams(parts: Part[]): Params {
  const params: Params = {};
  const files = new Map<string, UploadedFile>();
  for (const part of parts) {
    if (part.filename !== undefined) {
      files.set(part.name, {
        filename: part.filename,
        bytes: part.data,
        contentType: part.contentType ?? 'application/octet-stream',
      });
    } else {
      params[part.name] = coerce(part.name, part.data.toString('utf8'));
    }
  }
  const used = new Set<string>();
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('attach://')) {
      const id = value.slice('attach://'.length);
      const file = files.get(id);
      if (file === undefined) return value;
      used.add(id);
      return file;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value === 'object' && value !== null && !isUploadedFile(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    return value;
  };
  const resolved = resolve(params) as Params;
  // A file part not referenced by attach:// is the parameter itself (how curl and most clients upload).
  for (const [name, file] of files) if (!used.has(name)) resolved[name] = file;
  return resolved;
}

/** A lenient multipart/form-data parser: grammY writes headers as `content-disposition:form-data;name="x"`. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest('wrong multipart/form-data: boundary not found');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw badRequest('wrong multipart/form-data: unterminated part headers');
    const next = body.indexOf(between, headerEnd + 4);
    if (next < 0) throw badRequest('wrong multipart/form-data: unterminated part');
    parts.push(parsePart(body.subarray(pos, headerEnd).toString('utf8'), body.subarray(headerEnd + 4, next)));
    pos = next + 2;
  }
}

function parsePart(headerText: string, data: Buffer): Part {
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = new Map<string, string>();
  for (const piece of (headers.get('content-disposition') ?? '').split(';').slice(1)) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const raw = piece.slice(eq + 1).trim();
    disposition.set(piece.slice(0, eq).trim().toLowerCase(), raw.replace(/^"(.*)"$/, '$1'));
  }
  const part: Part = { name: disposition.get('name') ?? '', data: Buffer.from(data) };
  const filename = disposition.get('filename');
  if (filename !== undefined) part.filename = filename;
  const contentType = headers.get('content-type');
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}

// Form fields arrive as strings. Telegram converts each by the declared parameter type; the fake needs
// the same for the fields it reads, and must leave texts alone (a caption "123" stays a string).
const STRING_FIELDS = new Set([
  'text',
  'caption',
  'query',
  'data',
  'url',
  'secret_token',
  'description',
  'short_description',
  'title',
  'name',
  'file_id',
  'callback_query_id',
  'inline_query_id',
  'inline_message_id',
  'language_code',
  'parse_mode',
  'action',
  'business_connection_id',
  'emoji',
  'performer',
  'file_name',
  'switch_pm_text',
  'next_offset',
  'draft_text',
]);

function coerce(key: string, value: string): unknown {
  if (STRING_FIELDS.has(key)) return value;
  if (/^-?\d{1,16}$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}
