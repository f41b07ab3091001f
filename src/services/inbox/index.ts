/** The update inbox use case: what the rest of botctl may import from services/inbox/. */
export * from './inbox.js';
