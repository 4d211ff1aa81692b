export * from './api.js';
export * from './events.js';
export * from './fold.js';
export * from './hlc.js';
export * from './priority.js';
export * from './sla.js';
