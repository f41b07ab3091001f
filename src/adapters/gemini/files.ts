/**
 * FileUploader over the Gemini Files API, for media too large to send inline (over ~15 MB
 * encoded). Uploaded files expire on Google's side after 48 hours; nothing here deletes them
 * early, since a retried answer may still name the file.
 */
import { BotctlError } from '../../domain/errors.js';
import type { FileUploader } from '../../domain/ports/index.js';
import type { createRunner } from './runner.js';

type Run = ReturnType<typeof createRunner>;

const POLL_MS = 500;

export function createUploader(run: Run): FileUploader['uploadFile'] {
  const none = () => ({ tokensIn: 0, tokensOut: 0 });
  return (input) =>
    run(
      'files.upload',
      '',
      input.signal,
      async (ai, call) => {
        const blob = new Blob([Buffer.from(input.bytes)], { type: input.mimeType });
        let file = await ai.files.upload({
          file: blob,
          config: {
            mimeType: input.mimeType,
            ...(input.displayName ? { displayName: input.displayName } : {}),
            abortSignal: call.signal,
          },
        });
        call.touch();
        // Video and large audio stay PROCESSING for a while; naming such a file in a request fails.
        // The call's deadline bounds this wait.
        while (file.state === 'PROCESSING' && file.name) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          file = await ai.files.get({ name: file.name, config: { abortSignal: call.signal } });
        }
        if (file.state === 'FAILED' || !file.uri) {
          throw new BotctlError('GEMINI_UNAVAILABLE', 'Gemini could not process the uploaded file', {
            retryable: false,
            params: { status: 400 },
          });
        }
        return { uri: file.uri, mimeType: file.mimeType ?? input.mimeType };
      },
      none,
    );
}
