/** The admin API's own use cases (keys and the audit log): what the rest of botctl may import from services/admin-api/. */
export * from './api-keys.js';
export * from './audit.js';
export * from './conversations.js';
export * from './sessions.js';
