/**
 * Photos and documents for the media service: an image (photo, image document, or an earlier
 * photo replied to) as a picture part; a PDF as inline data (or a Files API reference when
 * large); text, Markdown, CSV and code as a text part, strictly UTF-8 and capped in length.
 */
import { BotctlError } from '../../domain/errors.js';
import {
  decodeTextDocument,
  documentMarker,
  imageMimeOf,
  photoMarker,
  type DocumentKind,
} from '../../domain/media.js';
import type { FileUploader } from '../../domain/ports/index.js';
import type { AnswerOutcome, MediaTurn } from '../chat/index.js';
import type { MediaAsk, MediaFile } from './types.js';
import { documentInstruction, mediaPart, photoInstruction, textDocumentPart } from './parts.js';

export function createVisualAnswers(
  uploader: FileUploader,
  download: (file: MediaFile, signal?: AbortSignal) => Promise<Uint8Array>,
  ask: (input: MediaAsk, media: MediaTurn) => Promise<AnswerOutcome>,
) {
  /** A photo, an image document, or an earlier photo the user replied to with a question. */
  async function answerImage(input: MediaAsk & { file: MediaFile }): Promise<AnswerOutcome> {
    const bytes = await download(input.file, input.signal);
    const mime = imageMimeOf(input.file.fileName, input.file.mimeType);
    const part = await mediaPart(uploader, bytes, mime, { signal: input.signal });
    return ask(input, {
      parts: [part, { text: photoInstruction(input.caption) }],
      transcribe: false,
      describe: () => photoMarker(input.caption),
    });
  }

  /** PDF as inline data, text and code as text; the kind comes from documentKind(). */
  async function answerDocument(
    input: MediaAsk & { file: MediaFile; kind: Exclude<DocumentKind, 'image'> },
  ): Promise<AnswerOutcome> {
    const name = input.file.fileName ?? 'document';
    const bytes = await download(input.file, input.signal);
    let content;
    if (input.kind === 'pdf') {
      content = await mediaPart(uploader, bytes, 'application/pdf', {
        displayName: name,
        signal: input.signal,
      });
    } else {
      const decoded = decodeTextDocument(bytes);
      // Binary content behind a text-like name: refused like any unsupported type.
      if (!decoded) throw new BotctlError('USAGE', `${name} is not UTF-8 text`, { params: { type: name } });
      content = textDocumentPart(name, decoded.text, decoded.truncated);
    }
    return ask(input, {
      parts: [content, { text: documentInstruction(name, input.caption) }],
      transcribe: false,
      describe: () => documentMarker(name, input.caption),
    });
  }

  return { answerImage, answerDocument };
}
