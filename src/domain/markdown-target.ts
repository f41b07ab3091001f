/**
 * Where rendered Markdown goes. The same parser feeds Telegram HTML and the plain-text
 * fallback, so the two can never disagree about structure (lists, tables, code).
 */

export type InlineTag = 'b' | 'i' | 'u' | 's' | 'code' | 'tg-spoiler';

export interface RenderTarget {
  /** Literal text, escaped as the target needs. */
  text(raw: string): string;
  open(tag: InlineTag): string;
  close(tag: InlineTag): string;
  /** `label` is already rendered; `href` is raw and already checked against the allowed schemes. */
  link(href: string, label: string): string;
  /** A code block (or a table laid out as one); `code` is raw. */
  pre(code: string, language: string | null): string;
  /** `inner` is already rendered. */
  quote(inner: string): string;
}

/** Escapes what Telegram's HTML parser requires outside tags: &, < and >. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Attribute values are double-quoted, so quotes must be escaped as well. */
function escapeAttribute(text: string): string {
  return escapeHtml(text).replaceAll('"', '&quot;');
}

export const htmlTarget: RenderTarget = {
  text: escapeHtml,
  open: (tag) => `<${tag}>`,
  close: (tag) => `</${tag}>`,
  link: (href, label) => `<a href="${escapeAttribute(href)}">${label}</a>`,
  pre: (code, language) =>
    language === null
      ? `<pre>${escapeHtml(code)}</pre>`
      : `<pre><code class="language-${escapeAttribute(language)}">${escapeHtml(code)}</code></pre>`,
  quote: (inner) => `<blockquote>${inner}</blockquote>`,
};

export const plainTarget: RenderTarget = {
  text: (raw) => raw,
  open: () => '',
  close: () => '',
  // Without markup the address would be lost, so it follows the label unless they are the same.
  link: (href, label) => (label === '' || label === href ? href : `${label} (${href})`),
  pre: (code) => code,
  quote: (inner) => inner,
};

/**
 * A target that drops one tag, e.g. bold inside a heading that is already bold:
 * nested identical entities add nothing and some clients render them oddly.
 */
export function withoutTag(target: RenderTarget, dropped: InlineTag): RenderTarget {
  return {
    ...target,
    open: (tag) => (tag === dropped ? '' : target.open(tag)),
    close: (tag) => (tag === dropped ? '' : target.close(tag)),
  };
}
