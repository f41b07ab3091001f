/**
 * Google Search grounding: when it applies to an answer, and the sources shown under it. Gemini
 * returns its web sources as `groundingChunks` (often the same page more than once, and more than
 * a reader follows); the bot shows them numbered, each link once, at most MAX_SOURCES, as Telegram
 * HTML built here (titles come from the web: escaped, never parsed as Markdown).
 */

/** The operator's choice (config `searchGrounding`). */
export const SEARCH_GROUNDING_MODES = ['off', 'auto', 'always'] as const;
export type SearchGroundingMode = (typeof SEARCH_GROUNDING_MODES)[number];

export const MAX_SOURCES = 5;

export interface Source {
  title: string;
  uri: string;
}

/**
 * Whether this answer asks Gemini to search: never with `off`, always with `always`, and with
 * `auto` as the user's `search` setting says (shown in /settings only then).
 */
export function searchApplies(mode: SearchGroundingMode, settings: { search: boolean }): boolean {
  return mode === 'always' || (mode === 'auto' && settings.search);
}

/** Web sources in order, each link once (http and https only), at most MAX_SOURCES. */
export function distinctSources(sources: readonly Source[]): Source[] {
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const source of sources) {
    if (out.length === MAX_SOURCES) break;
    if (!/^https?:\/\//i.test(source.uri) || seen.has(source.uri)) continue;
    seen.add(source.uri);
    out.push({ title: source.title.trim() || hostOf(source.uri), uri: source.uri });
  }
  return out;
}

/** The sources as Telegram HTML: a heading, then "1. <a href>title</a>" lines. */
export function sourcesHtml(heading: string, sources: readonly Source[]): string {
  const lines = sources.map(
    (source, i) => `${i + 1}. <a href="${escapeHtml(source.uri)}">${escapeHtml(source.title)}</a>`,
  );
  return [`<b>${escapeHtml(heading)}</b>`, ...lines].join('\n');
}

/** Links as one escaped, comma-separated run of Telegram HTML (each at most 200 characters shown). */
export function linksHtml(urls: readonly string[]): string {
  return urls.map((url) => escapeHtml(url.length > 200 ? `${url.slice(0, 199)}…` : url)).join(', ');
}

function hostOf(uri: string): string {
  return uri.replace(/^https?:\/\//i, '').split(/[/?#]/)[0] ?? uri;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
