/** Every doctor check, in the order they are printed. */
import type { Check } from '../types.js';
import { adminApiCheck } from './admin-api.js';
import { backupCheck } from './backup.js';
import { configCheck } from './config.js';
import { databaseCheck } from './database.js';
import { diskCheck } from './disk.js';
import { ffmpegCheck } from './ffmpeg.js';
import { instancesCheck } from './instances.js';
import { geminiCheck } from './gemini.js';
import { nodeCheck } from './node.js';
import { permissionsCheck } from './permissions.js';
import { pgDumpCheck } from './pg-dump.js';
import { redisCheck } from './redis.js';
import { telegramCheck } from './telegram.js';
import { webhookCheck } from './webhook.js';

export const CHECKS: readonly Check[] = [
  nodeCheck,
  configCheck,
  permissionsCheck,
  diskCheck,
  databaseCheck,
  pgDumpCheck,
  redisCheck,
  instancesCheck,
  telegramCheck,
  webhookCheck,
  adminApiCheck,
  geminiCheck,
  ffmpegCheck,
  backupCheck,
];
