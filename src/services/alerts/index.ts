/** Operator alerts: what the rest of botctl may import from services/alerts/. */
export * from './alerts.js';
