import type { Check } from '../types.js';
import { octal, pass, warn } from './outcome.js';

/** The config holds secrets: 0600 in a 0700 directory, as `setup` and `config set` write it. */
export const permissionsCheck: Check = {
  id: 'permissions',
  title: 'Data dir permissions',
  async run({ dataDir, configFile, probes }) {
    const dirMode = await probes.mode(dataDir);
    if (dirMode === null)
      return warn(`${dataDir} does not exist yet`, 'run `botctl setup` (it creates it with mode 0700)');
    const fileMode = await probes.mode(configFile);
    const fileName = configFile.slice(configFile.lastIndexOf('/') + 1);
    const loose: string[] = [];
    if ((dirMode & 0o077) !== 0) loose.push(`${dataDir} is ${octal(dirMode)} (want 0700)`);
    if (fileMode !== null && (fileMode & 0o077) !== 0) {
      loose.push(`${fileName} is ${octal(fileMode)} (want 0600)`);
    }
    if (loose.length > 0) {
      return warn(
        `${loose.join('; ')}: other users may read secrets`,
        `chmod 700 ${dataDir} && chmod 600 ${configFile}*`,
      );
    }
    return pass(`${dataDir} ${octal(dirMode)}${fileMode === null ? '' : `, ${fileName} ${octal(fileMode)}`}`);
  },
};
