/** English and Russian, following the browser's language; the choice is remembered. */
import { en, type Messages } from './locales/en.js';
import { ru } from './locales/ru.js';

export type Lang = 'en' | 'ru';
const CATALOGS: Record<Lang, Messages> = { en, ru };

const stored = localStorage.getItem('botctl-lang');
export let lang: Lang =
  stored === 'en' || stored === 'ru'
    ? stored
    : navigator.language.toLowerCase().startsWith('ru')
      ? 'ru'
      : 'en';

export function setLang(next: Lang) {
  lang = next;
  localStorage.setItem('botctl-lang', next);
  document.documentElement.lang = next;
}

export function t(key: keyof Messages, params: Record<string, string | number> = {}): string {
  return CATALOGS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

export const fmtNumber = (n: number) => new Intl.NumberFormat(lang).format(n);
export const fmtDate = (iso: string | null) =>
  iso === null
    ? '—'
    : new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
