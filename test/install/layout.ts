/**
 * The one layout of an installed botctl, shared by the production-install test and the check
 * that the Dockerfile builds the same thing: scripts/pack-install.sh puts the packed project
 * into an app dir, and botctl runs as `node <app dir>/bin/run.js`.
 */
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** Run from the project root after `npm run build`, with the app dir as its only argument. */
export const PACK_INSTALL = 'scripts/pack-install.sh';
/** The entry point inside the app dir. */
export const ENTRY = 'bin/run.js';
/** The app dir in the image. */
export const IMAGE_APP_DIR = '/app';
