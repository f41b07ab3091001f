/** The backup use case: what the rest of botctl may import from services/backup/. */
export * from './backup.js';
export * from './types.js';
