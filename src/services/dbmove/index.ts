/** The `db move` use case: what the rest of botctl may import from services/dbmove/. */
export * from './move.js';
