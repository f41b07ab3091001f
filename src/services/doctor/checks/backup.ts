import type { Check } from '../types.js';
import { formatAge, pass, warn } from './outcome.js';

const MAX_AGE_MS = 48 * 3_600_000;
const HINT = 'run `botctl backup create`; `botctl setup --render systemd` renders a daily timer';

export const backupCheck: Check = {
  id: 'backup',
  title: 'Last backup',
  needs: ['config'],
  async run({ probes, now }) {
    const at = await probes.lastBackupAt();
    if (at === null) return warn('no backup yet', HINT);
    const age = now().getTime() - at.getTime();
    const detail = `${formatAge(age)} (${at.toISOString()})`;
    return age > MAX_AGE_MS ? warn(`older than 48 h: ${detail}`, HINT) : pass(detail);
  },
};
