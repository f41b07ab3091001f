/**
 * English text for CLI output that users also see in the chat (the Markdown export), read from
 * src/locales/en.ftl so there is one copy of it. dist/cli sits beside dist/locales as src/cli
 * sits beside src/locales. Loaded only by the commands that need it.
 */
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';

const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));
const ENGLISH = 'en';

export function englishText(): (key: string) => string {
  const i18n = new I18n({
    defaultLocale: ENGLISH,
    directory: LOCALES_DIR,
    fluentBundleOptions: { useIsolating: false },
  });
  return (key) => i18n.t(ENGLISH, key);
}
