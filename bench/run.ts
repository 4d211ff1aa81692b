import { benchAppend, benchOpen } from './store.bench.js';

/** `npm run bench`: prints figures; nothing here passes or fails. */
benchAppend();
await benchOpen();
