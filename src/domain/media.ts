/**
 * Rules for files users send: how big a download may be, which documents the model can read
 * and how, and the text a media turn is remembered by (the bytes themselves are not stored).
 */

/** The cloud Bot API serves downloads up to 20 MB; a self-hosted Bot API server lifts that. */
const CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const CLOUD_API_HOST = 'api.telegram.org';

/**
 * Gemini takes inline data up to about 20 MB per request, base64 included; above ~15 MB of
 * encoded media the file goes through the Files API instead, leaving room for the context.
 */
export const INLINE_REQUEST_LIMIT = 15 * 1024 * 1024;

/** Text documents are cut here (about 50k tokens), so one file cannot swallow the context. */
const TEXT_DOCUMENT_MAX_CHARS = 200_000;

/** The largest file botctl will download: the configured limit, capped at 20 MB on the cloud Bot API. */
export function downloadLimit(apiRoot: string, maxFileBytes: number): number {
  let host = '';
  try {
    host = new URL(apiRoot).hostname;
  } catch {
    // An unparsable root cannot be the cloud API's; config validation rejects it anyway.
  }
  return host === CLOUD_API_HOST ? Math.min(maxFileBytes, CLOUD_DOWNLOAD_LIMIT) : maxFileBytes;
}

/** Bytes after base64 encoding. */
export function base64Size(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** 72 -> "1:12", 3725 -> "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export type AudioKind = 'voice' | 'audio' | 'video_note';

/** The stored user turn for an audio message: "[voice 0:12] what the user said". */
export function audioMarker(
  kind: AudioKind,
  seconds: number,
  transcript: string | null,
  caption?: string,
): string {
  const label = kind === 'video_note' ? 'video note' : kind;
  const body = [caption?.trim(), transcript ?? `(${label})`].filter(Boolean).join('\n');
  return `[${label} ${formatDuration(seconds)}] ${body}`;
}

export function photoMarker(caption: string | undefined): string {
  return `[photo] ${caption?.trim() || '(no caption)'}`;
}

export function documentMarker(name: string, caption: string | undefined): string {
  return `[document ${name}] ${caption?.trim() || '(no caption)'}`;
}

export type DocumentKind = 'pdf' | 'text' | 'image';

const TEXT_MIME =
  /^(text\/|application\/(json|xml|x-yaml|yaml|toml|x-sh|javascript|x-javascript|sql|x-python|x-httpd-php))/;
const TEXT_EXTENSIONS = new Set(
  (
    'txt md markdown csv tsv json jsonl yaml yml toml ini cfg conf log xml html htm css scss ' +
    'js mjs cjs jsx ts tsx py rb go rs java kt kts c h cc cpp hpp cs swift php sh bash zsh ps1 sql ' +
    'r lua pl scala dart ex exs erl hs ml clj vue svelte gradle properties env dockerfile makefile tex'
  ).split(' '),
);
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'heic', 'heif']);
const IMAGE_MIME = /^image\/(jpeg|png|webp|heic|heif)$/;

/** Which way the model can read a document, or null when it cannot. */
export function classifyDocument(
  fileName: string | undefined,
  mimeType: string | undefined,
): DocumentKind | null {
  const name = (fileName ?? '').toLowerCase();
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot + 1) : name;
  const mime = (mimeType ?? '').toLowerCase();
  if (mime === 'application/pdf' || extension === 'pdf') return 'pdf';
  if (IMAGE_MIME.test(mime) || IMAGE_EXTENSIONS.has(extension)) return 'image';
  if (TEXT_MIME.test(mime) || TEXT_EXTENSIONS.has(extension)) return 'text';
  return null;
}

/** The image mime type to send the model for a document classified as an image. */
export function imageMimeOf(fileName: string | undefined, mimeType: string | undefined): string {
  if (mimeType && IMAGE_MIME.test(mimeType.toLowerCase())) return mimeType.toLowerCase();
  const extension = (fileName ?? '').toLowerCase().split('.').pop() ?? '';
  return extension === 'png' ? 'image/png' : extension === 'webp' ? 'image/webp' : 'image/jpeg';
}

/**
 * A text document as a model part: strict UTF-8 (binary files that only look like text are
 * refused), cut at maxChars with a note so the model knows it saw part of the file.
 */
export function decodeTextDocument(
  bytes: Uint8Array,
  maxChars = TEXT_DOCUMENT_MAX_CHARS,
): { text: string; truncated: boolean } | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (text.includes('\u0000')) return null;
  if (text.length <= maxChars) return { text, truncated: false };
  return { text: text.slice(0, maxChars), truncated: true };
}
