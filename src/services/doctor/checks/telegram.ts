import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

export const telegramCheck: Check = {
  id: 'telegram',
  title: 'Telegram token',
  needs: ['config'],
  async run({ config, probes }, signal) {
    const { telegramToken: token, telegramApiRoot: apiRoot } = config!;
    if (!token) return fail('telegramToken is not set', 'run `botctl setup` or set BOTCTL_TELEGRAM_TOKEN');
    const bot = await probes.telegramBot({ token, apiRoot }, signal);
    return pass(`@${bot.username} (id ${bot.id})`);
  },
};
