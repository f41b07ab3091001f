/**
 * Replies for chosen model calls only. The fake's queue() serves whichever call comes next, and
 * a background call (the title of an earlier test's new conversation, asked once its answer is
 * delivered) may come first and take a reply meant for the question under test.
 */
import type { FakeGemini, GeminiGenerateRequest, GeminiReply } from '../fakes/gemini.js';

/**
 * Serves `replies` in order to the calls `question` picks (the last user text, or a predicate),
 * then answers as before.
 */
export function replyTo(
  gemini: FakeGemini,
  question: string | ((req: GeminiGenerateRequest) => boolean),
  ...replies: GeminiReply[]
): void {
  const before = gemini.respond;
  const left = [...replies];
  const picks =
    typeof question === 'string' ? (req: GeminiGenerateRequest) => req.lastUserText === question : question;
  gemini.respond = (req: GeminiGenerateRequest) => {
    if (picks(req) && left.length > 0) return left.shift()!;
    return before ? before(req) : { text: `Echo: ${req.lastUserText}` };
  };
}
