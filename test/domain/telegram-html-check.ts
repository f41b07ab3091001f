/**
 * An independent checker for Telegram HTML, written apart from src/ so a shared bug in the
 * converter and the splitter cannot hide itself: tags allowed, attributes allowed, nesting,
 * escaping and surrogate pairs.
 */

const ALLOWED = new Set(['b', 'i', 'u', 's', 'code', 'pre', 'a', 'blockquote', 'tg-spoiler']);
const TAG = /^<(\/?)([a-z-]+)((?: [a-z-]+="[^"<>]*")*)>/;
const ENTITY = /^&(?:lt|gt|amp|quot|#\d+|#x[\da-f]+);/i;

/** Problems found; an empty list means Telegram's HTML parser will accept it. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  for (let i = 0; i < html.length;) {
    const rest = html.slice(i, i + 300);
    const code = html.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = html.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) problems.push(`lone high surrogate at ${i}`);
      i += 2;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) problems.push(`lone low surrogate at ${i}`);
    if (html[i] === '<') {
      const m = TAG.exec(rest);
      if (m === null) {
        problems.push(`bare < at ${i}`);
        i += 1;
        continue;
      }
      const [raw, slash, name = '', attrs = ''] = m;
      if (!ALLOWED.has(name)) problems.push(`tag ${name} not allowed`);
      if (slash === '/') {
        if (stack.pop() !== name) problems.push(`</${name}> closes nothing open at ${i}`);
      } else {
        const parent = stack.at(-1);
        if (parent === 'code' || (parent === 'pre' && name !== 'code'))
          problems.push(`<${name}> inside <${parent}>`);
        if (stack.includes(name) && (name === 'a' || name === 'blockquote'))
          problems.push(`nested <${name}>`);
        const okAttrs =
          attrs === '' ||
          (name === 'a' && /^ href="[^"]+"$/.test(attrs)) ||
          (name === 'code' && parent === 'pre' && /^ class="language-[^"]+"$/.test(attrs));
        if (!okAttrs) problems.push(`attributes ${attrs} not allowed on ${name}`);
        stack.push(name);
      }
      i += raw.length;
    } else if (html[i] === '&') {
      const m = ENTITY.exec(rest);
      if (m === null) problems.push(`bare & at ${i}`);
      i += m === null ? 1 : m[0].length;
    } else {
      if (html[i] === '>') problems.push(`bare > at ${i}`);
      i += 1;
    }
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(' > ')}`);
  return problems;
}

/** The text Telegram shows: tags removed, entities decoded. */
export function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|amp|#\d+|#x[\da-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&' };
    if (e.startsWith('#x') || e.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return named[e] ?? '';
  });
}

/** A small seeded PRNG (mulberry32), so property tests are random but reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
