/** The broadcast use case: what the rest of botctl may import from services/broadcast/. */
export * from './broadcast.js';
export * from './content.js';
export * from './run.js';
