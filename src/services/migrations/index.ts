/** The migrations use case: what the rest of botctl may import from services/migrations/. */
export * from './migrations.js';
