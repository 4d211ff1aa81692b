export * from '../api/api.js';
export * from './events.js';
export * from './fold.js';
export * from './hlc.js';
export * from '../incidents/priority.js';
export * from '../clocks/sla.js';
