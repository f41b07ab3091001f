/** The settings use case: what the rest of botctl may import from services/settings/. */
export * from './settings.js';
