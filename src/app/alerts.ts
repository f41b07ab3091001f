/**
 * The alert service for this app (services/alerts/), wired to the configured targets: the admin
 * Telegram chat (alertChatId, through a bare Bot API messenger that needs no database, so a
 * failing database can still be reported) and a Slack incoming webhook (slackWebhookUrl). Text
 * comes from the locale files, in alertLanguage. Part of the composition root.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import { createSlackWebhook } from '../adapters/slack/webhook.js';
import { createTelegramMessenger } from '../adapters/telegram/messenger.js';
import { ALERT_SEVERITY, type Alert, type AlertKind } from '../domain/alerts.js';
import type { AlertTarget } from '../domain/ports/index.js';
import type { Config } from '../config/config.js';
import { createAlertService, type AlertService } from '../services/alerts/index.js';
import type { Logger } from './logger.js';

const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));
const ICON = { critical: '🔴', warning: '🟠', info: '🟢' } as const;

export function createAlerts(config: Readonly<Config>, logger: Logger): AlertService {
  const render = renderer(config.alertLanguage);
  const targets: AlertTarget[] = [];
  if (config.alertChatId !== undefined && config.telegramToken) {
    const chatId = config.alertChatId;
    const messenger = createTelegramMessenger({
      token: config.telegramToken,
      apiRoot: config.telegramApiRoot,
      timeoutSeconds: 10,
    });
    targets.push({
      name: 'telegram',
      async deliver(alert) {
        const { title, text } = render(alert);
        const outcome = await messenger.sendText(chatId, { text: `${title}\n${text}`, parseMode: null });
        if (outcome.kind === 'sent') return;
        const why = 'error' in outcome ? outcome.error.message : outcome.kind;
        throw new Error(`Telegram did not take the alert for chat ${chatId}: ${why}`);
      },
    });
  }
  if (config.slackWebhookUrl) {
    const slack = createSlackWebhook(config.slackWebhookUrl);
    targets.push({ name: 'slack', deliver: (alert) => slack.post(render(alert)) });
  }
  return createAlertService({
    targets,
    log: logger.child({ component: 'alerts' }),
    now: Date.now,
    schedule: (ms, fn) => {
      const timer = setTimeout(fn, ms);
      // A pending summary must not keep a finished command (or a stopping daemon) alive.
      timer.unref();
      return () => clearTimeout(timer);
    },
  });
}

/** An alert's title ("🔴 botctl on host") and text (`alert-<kind>`), from the locale files. */
function renderer(language: string): (alert: Alert) => { title: string; text: string } {
  const i18n = new I18n({
    defaultLocale: 'en',
    directory: LOCALES_DIR,
    fluentBundleOptions: { useIsolating: false },
  });
  const host = os.hostname();
  return (alert) => {
    const of = alert.kind === 'repeated' ? ALERT_SEVERITY[alert.params.of as AlertKind] : undefined;
    const severity = of ?? ALERT_SEVERITY[alert.kind];
    return {
      title: `${ICON[severity]} ${i18n.t(language, 'alert-title', { host })}`,
      text: i18n.t(language, `alert-${alert.kind}`, { ...alert.params }),
    };
  };
}
