/**
 * Links in a question. The bot never fetches a URL itself: a link is read by Gemini's URL context
 * tool, on Google's side, so no request the bot makes is aimed by a chatter (no SSRF surface: a
 * link to 127.0.0.1, the metadata service or the LAN reaches nothing of ours). A model without the
 * tool cannot open links, and the user is told so rather than getting an answer that pretends.
 */

/** Gemini's URL context reads at most 20 URLs a request. */
export const MAX_LINKS = 20;

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** The http(s) links in the text, in order, each once, at most MAX_LINKS. */
export function linksIn(text: string): string[] {
  if (!text.includes('://')) return []; // the common message: no regex run
  const found = new Set<string>();
  for (const match of text.matchAll(LINK)) {
    found.add(match[0].replace(/[.,;:!?)\]]+$/, ''));
    if (found.size === MAX_LINKS) break;
  }
  return [...found];
}

/**
 * Models with the URL context tool (Gemini API docs: the 2.5 models, later generations and the
 * -latest aliases that follow them); speech, image and live variants have none.
 */
export function urlContextSupported(model: string): boolean {
  if (/-(tts|image|live|audio|embedding)\b/.test(model)) return false;
  return /^gemini-(2\.5|[3-9](\.\d+)?)-/.test(model) || /^gemini-(flash|flash-lite|pro)-latest$/.test(model);
}
