/**
 * Each row of the import table (docs/ARCHITECTURE.md, eslint.config.js) fires: every fixture makes
 * one forbidden import and must be rejected by botctl/layers with the expected message; the
 * allowed fixtures must pass. Fixtures are linted as text at a path inside src/ (ESLint's Node API,
 * the repository's own config), so no file that breaks the rules ever sits in the tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The botctl/layers messages for `code` as if it were the file `at` (relative to the repository). */
async function layerErrors(at: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, at) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'botctl/layers').map((m) => m.messageId!);
}

// [what, file, code, messageId]
const forbidden: [string, string, string, string][] = [
  [
    'domain -> adapters',
    'src/domain/f.ts',
    "import { openDatabase } from '../adapters/db/open.js';",
    'layer',
  ],
  ['domain -> services', 'src/domain/f.ts', "export * from '../services/chat/index.js';", 'layer'],
  ['domain -> node:*', 'src/domain/f.ts', "import fs from 'node:fs';", 'node'],
  ['domain -> a package', 'src/domain/f.ts', "import { z } from 'zod';", 'package'],
  [
    'domain -> adapters, dynamically',
    'src/domain/f.ts',
    "await import('../adapters/geo/zone-lookup.js');",
    'layer',
  ],
  [
    'domain -> adapters, in a type',
    'src/domain/f.ts',
    "export type D = import('../adapters/db/open.js').Database;",
    'layer',
  ],
  ['services -> app', 'src/services/chat/f.ts', "import { createApp } from '../../app/index.js';", 'layer'],
  [
    'services -> config',
    'src/services/chat/f.ts',
    "import type { Config } from '../../config/config.js';",
    'layer',
  ],
  [
    'services -> daemon',
    'src/services/chat/f.ts',
    "import { createIntake } from '../../daemon/intake.js';",
    'layer',
  ],
  [
    'services -> adapters',
    'src/services/chat/f.ts',
    "import { zonesAt } from '../../adapters/geo/zone-lookup.js';",
    'layer',
  ],
  ['services -> an SDK', 'src/services/chat/f.ts', "import { Bot } from 'grammy';", 'package'],
  [
    'services -> inside another service',
    'src/services/chat/f.ts',
    "import { x } from '../history/history.js';",
    'serviceIndex',
  ],
  [
    'adapter -> another adapter',
    'src/adapters/db/f.ts',
    "import { createCache } from '../cache/index.js';",
    'layer',
  ],
  [
    'adapter -> another adapter, nested',
    'src/adapters/db/pg/f.ts',
    "import { ffmpeg } from '../../system/ffmpeg.js';",
    'layer',
  ],
  ['adapter -> another SDK', 'src/adapters/db/f.ts', "import { Bot } from 'grammy';", 'sdk'],
  [
    'adapter -> services',
    'src/adapters/gemini/f.ts',
    "import { x } from '../../services/chat/index.js';",
    'layer',
  ],
  [
    'adapter -> config',
    'src/adapters/cache/f.ts',
    "import type { Config } from '../../config/config.js';",
    'layer',
  ],
  ['bot -> adapters', 'src/bot/f.ts', "import { x } from '../adapters/telegram/messenger.js';", 'layer'],
  ['bot -> app', 'src/bot/features/f.ts', "import { createApp } from '../../app/index.js';", 'layer'],
  ['bot -> http', 'src/bot/f.ts', "import { createHttpServer } from '../http/server.js';", 'layer'],
  ['bot -> a database SDK', 'src/bot/f.ts', "import { eq } from 'drizzle-orm';", 'sdk'],
  [
    'bot -> inside a service',
    'src/bot/f.ts',
    "import { x } from '../services/chat/turn.js';",
    'serviceIndex',
  ],
  ['http -> bot', 'src/http/f.ts', "import { createBot } from '../bot/create-bot.js';", 'layer'],
  [
    'http -> daemon',
    'src/http/routes/f.ts',
    "import { createIntake } from '../../daemon/intake.js';",
    'layer',
  ],
  [
    'commands -> adapters',
    'src/commands/f.ts',
    "import { openDatabase } from '../adapters/db/open.js';",
    'layer',
  ],
  [
    'commands -> app internals',
    'src/commands/users/f.ts',
    "import { createApp } from '../../app/container.js';",
    'layer',
  ],
  ['commands -> bot', 'src/commands/f.ts', "import { createBot } from '../bot/create-bot.js';", 'layer'],
  ['cli -> app internals', 'src/cli/f.ts', "import { createLogger } from '../app/logger.js';", 'layer'],
  [
    'cli -> inside a service',
    'src/cli/f.ts',
    "import { x } from '../services/users/users.js';",
    'serviceIndex',
  ],
  ['cli -> the Gemini SDK', 'src/cli/f.ts', "import { GoogleGenAI } from '@google/genai';", 'sdk'],
  [
    'daemon -> a database adapter',
    'src/daemon/f.ts',
    "import { openDatabase } from '../adapters/db/open.js';",
    'layer',
  ],
  [
    'daemon -> app internals',
    'src/daemon/f.ts',
    "import { createDaemonServices } from '../app/services.js';",
    'layer',
  ],
  ['daemon -> commands', 'src/daemon/f.ts', "import Start from '../commands/start.js';", 'layer'],
  ['config -> services', 'src/config/f.ts', "import { x } from '../services/access/index.js';", 'layer'],
  [
    'config -> an adapter',
    'src/config/f.ts',
    "import { openDatabase } from '../adapters/db/open.js';",
    'layer',
  ],
  ['probes -> commands', 'src/probes/f.ts', "import Doctor from '../commands/doctor.js';", 'layer'],
  [
    'probes -> app internals',
    'src/probes/f.ts',
    "import { createBackups } from '../app/backups.js';",
    'layer',
  ],
  [
    'deploy -> a database adapter',
    'src/deploy/f.ts',
    "import { openDatabase } from '../adapters/db/open.js';",
    'layer',
  ],
  ['deploy -> services', 'src/deploy/f.ts', "import { x } from '../services/backup/index.js';", 'layer'],
  ['app -> cli', 'src/app/f.ts', "import { BaseCommand } from '../cli/base-command.js';", 'layer'],
  ['app -> bot', 'src/app/f.ts', "import { createBot } from '../bot/create-bot.js';", 'layer'],
];

const allowed: [string, string, string][] = [
  ['domain -> domain', 'src/domain/f.ts', "import { BotctlError } from './errors.js';"],
  [
    'a service -> its own files, another service by its index, domain',
    'src/services/chat/f.ts',
    "import { x } from './turn.js';\nimport { y } from '../history/index.js';\nimport { z } from '../../domain/errors.js';",
  ],
  [
    'an adapter -> its own files, the shared dirs module, its SDK',
    'src/adapters/db/pg/f.ts',
    "import { x } from '../shared/sql.js';\nimport { makeDirs } from '../../system/dirs.js';\nimport postgres from 'postgres';",
  ],
  [
    'bot -> services, domain, grammY',
    'src/bot/features/f.ts',
    "import { x } from '../../services/chat/index.js';\nimport { Composer } from 'grammy';",
  ],
  [
    'commands -> the root, services, cli, config, probes, oclif',
    'src/commands/users/f.ts',
    "import { createApp } from '../../app/index.js';\nimport { x } from '../../services/users/index.js';\n" +
      "import { BaseCommand } from '../../cli/base-command.js';\nimport { loadConfig } from '../../config/config.js';\n" +
      "import { createProbes } from '../../probes/probes.js';\nimport { Flags } from '@oclif/core';",
  ],
  [
    'daemon -> the root, bot, http, the named Telegram transport pieces, grammY',
    'src/daemon/f.ts',
    "import { createApp } from '../app/index.js';\nimport { createBot } from '../bot/create-bot.js';\n" +
      "import { createHttpServer } from '../http/server.js';\nimport { createPacer } from '../adapters/telegram/pacer.js';\n" +
      "import { Bot } from 'grammy';",
  ],
  [
    'app -> adapters, services, config',
    'src/app/f.ts',
    "import { openDatabase } from '../adapters/db/open.js';\nimport { x } from '../services/users/index.js';\nimport { loadConfig } from '../config/config.js';",
  ],
  [
    'config -> the database URL reader',
    'src/config/f.ts',
    "import { parseDatabaseUrl } from '../adapters/db/url.js';",
  ],
];

describe('the import table (botctl/layers)', { timeout: 60_000 }, () => {
  it.each(forbidden)('rejects %s', async (_what, at, code, messageId) => {
    expect(await layerErrors(at, code)).toEqual([messageId]);
  });

  it.each(allowed)('allows %s', async (_what, at, code) => {
    expect(await layerErrors(at, code)).toEqual([]);
  });

  it('has a row for every folder of src/', async () => {
    const folders = fs
      .readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'locales')
      .map((entry) => entry.name);
    const unruled: string[] = [];
    for (const folder of folders) {
      const config = await eslint.calculateConfigForFile(path.join(root, 'src', folder, 'f.ts'));
      if (!config?.rules?.['botctl/layers']) unruled.push(folder);
    }
    expect(unruled).toEqual([]);
  });
});
