/**
 * Ports: what the services need from the outside world, one file per area. Adapters implement
 * them; services and edges see only these types. Storage ports have one contract suite
 * (test/contracts/) that every implementation passes.
 */
export type * from './repositories.js';
export type * from './stats.js';
export type * from './database.js';
export type * from './model.js';
export type * from './system.js';
export type * from './telegram.js';
export type * from './media.js';
export type * from './backup.js';
export type * from './intake.js';
export type * from './alerts.js';
export type * from './move.js';
export type * from './events.js';
