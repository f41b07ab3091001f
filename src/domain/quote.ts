/**
 * A reply's quoted message as context for the model. When a user replies to an earlier message
 * (theirs, the bot's, or in a group someone else's), the text they reply to, or the part of it
 * Telegram's `quote` selected, goes into their turn above the question, marked as a quote, so
 * the model answers about that text and the stored turn keeps it for later questions. The quote
 * is data from the chat, not an instruction: the marker says whose words it holds.
 */

/** Whose message was replied to. */
export type QuoteAuthor = { kind: 'assistant' } | { kind: 'user' } | { kind: 'other'; name: string };

export interface Quote {
  text: string;
  author: QuoteAuthor;
  /** Telegram's `quote`: the user selected part of the message, not all of it. */
  partial: boolean;
}

/** Longer quotes are cut: a whole 4096-character answer adds little over its first part. */
export const QUOTE_LIMIT = 2_000;

/** The question with the quote above it, or the question alone when there is nothing to quote. */
export function withQuote(question: string, quote: Quote | undefined): string {
  const text = quote?.text.trim();
  if (!quote || !text) return question;
  const cut = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  const quoted = cut
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `[${quote.partial ? 'Quoted part of' : 'Quoting'} ${authorLabel(quote.author)}]\n${quoted}\n\n${question}`;
}

function authorLabel(author: QuoteAuthor): string {
  switch (author.kind) {
    case 'assistant':
      return 'your earlier answer';
    case 'user':
      return 'my earlier message';
    case 'other':
      // A display name is the sender's own choice: one line, no brackets that could close the marker.
      return `a message from ${
        author.name
          .replace(/[\r\n[\]]+/g, ' ')
          .slice(0, 64)
          .trim() || 'someone'
      }`;
  }
}
