import type { Check } from '../types.js';
import { formatAge, pass, warn } from './outcome.js';

/** A webhook left behind makes polling fail (409), and a missing one starves a webhook bot. */
export const webhookCheck: Check = {
  id: 'webhook',
  title: 'Webhook state',
  needs: ['telegram'],
  async run({ config, probes, now }, signal) {
    const { mode, webhookUrl, telegramToken, telegramApiRoot } = config!;
    const info = await probes.telegramWebhook({ token: telegramToken!, apiRoot: telegramApiRoot }, signal);
    const pending = `${info.pendingUpdates} pending update(s)`;
    if (mode === 'polling' && info.url !== '') {
      return warn(
        `mode is polling but a webhook is set (${info.url}); ${pending}`,
        '`botctl start` removes it; if another instance uses it, stop that instance first',
      );
    }
    if (mode === 'webhook' && info.url === '') {
      return warn(`mode is webhook but no webhook is set; ${pending}`, '`botctl start` sets it');
    }
    if (mode === 'webhook' && info.url !== webhookUrl) {
      return warn(
        `the webhook points to ${info.url}, the config says ${webhookUrl}`,
        'restart `botctl start` to set it again',
      );
    }
    if (info.lastError) {
      const when = info.lastErrorAt ? ` (${formatAge(now().getTime() - info.lastErrorAt.getTime())})` : '';
      return warn(
        `last delivery error${when}: ${info.lastError}; ${pending}`,
        'check that the webhook URL reaches `botctl start`',
      );
    }
    return pass(mode === 'polling' ? `no webhook (polling); ${pending}` : `set to ${info.url}; ${pending}`);
  },
};
