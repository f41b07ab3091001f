/** The history use case: what the rest of botctl may import from services/history/. */
export * from './history.js';
