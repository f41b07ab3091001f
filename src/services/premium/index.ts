/** The premium use case (Telegram Stars): what the rest of botctl may import from services/premium/. */
export * from './premium.js';
