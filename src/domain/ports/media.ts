/**
 * Media: files in (Telegram downloads, the model provider's file store), speech encoding and the
 * audio archive.
 */

/** Telegram's files (getFile, then the download). */
export interface FileDownloader {
  /**
   * The file's bytes. INPUT_TOO_LARGE when Telegram or the bytes exceed maxBytes (checked as they
   * arrive, whatever size was declared); TELEGRAM_ERROR otherwise. Errors never carry the URL.
   */
  download(fileId: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Uint8Array>;
}

/** The model provider's file store, for media too large to send inline. */
export interface FileUploader {
  /** Uploads and waits until the file is usable; the uri goes into a `fileData` part. */
  uploadFile(input: {
    bytes: Uint8Array;
    mimeType: string;
    displayName?: string;
    signal?: AbortSignal;
  }): Promise<{ uri: string; mimeType: string }>;
}

/** Encodes speech for Telegram voice notes. */
export interface AudioEncoder {
  /** Whether the encoder can run here (ffmpeg installed); probed once. */
  available(): Promise<boolean>;
  /** 16-bit little-endian mono PCM -> OGG/Opus; throws INTERNAL when the encoder fails. */
  pcmToOggOpus(pcm: Uint8Array, sampleRate: number): Promise<Uint8Array>;
}

/** Keeps copies of users' audio when the operator asked for it (keepAudio). */
export interface MediaArchive {
  /** Stores the bytes under `name` and returns the stored path. */
  save(name: string, bytes: Uint8Array): Promise<string>;
}
