/** The doctor use case: what the rest of botctl may import from services/doctor/ (checks, run, probe types). */
export * from './checks/index.js';
export * from './run.js';
export * from './types.js';
