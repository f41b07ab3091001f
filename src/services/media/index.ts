/** The media use case: what the rest of botctl may import from services/media/. */
export * from './images.js';
export * from './media.js';
export * from './speech.js';
