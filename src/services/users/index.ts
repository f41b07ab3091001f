/** The users use case: what the rest of botctl may import from services/users/. */
export * from './users.js';
export * from './views.js';
