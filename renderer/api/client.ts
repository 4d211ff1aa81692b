import { createApi } from './api.js';

/** The one API instance of this window; stores and panes reach the core only through it. */
export const api = createApi();
