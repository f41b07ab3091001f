/** The privacy use case: what the rest of botctl may import from services/privacy/. */
export * from './privacy.js';
