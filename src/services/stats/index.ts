/** The stats use case: what the rest of botctl may import from services/stats/. */
export * from './stats.js';
export * from './errors.js';
