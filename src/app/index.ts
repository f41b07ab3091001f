/**
 * The composition root's public face, the only module of app/ that edges (commands, cli, the
 * daemon, probes) may import: createApp and the types of what it returns, and the logger's
 * scrubber. Importing it loads no adapter: createApp loads the root (container.ts) on its call.
 */
import type { Config } from '../config/config.js';
import type { App, CreateAppOptions } from './container.js';

export type { App, CreateAppOptions, Services } from './container.js';
export type { DaemonServices } from './services.js';
export { makeScrubber, type Logger } from './logger.js';

/** Opens the app: see container.ts. Nothing (not even the database) opens before a service needs it. */
export async function createApp(config: Readonly<Config>, options: CreateAppOptions = {}): Promise<App> {
  const root = await import('./container.js');
  return root.createApp(config, options);
}
