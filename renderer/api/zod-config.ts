import { z } from 'zod';

// zod compiles fast paths with `new Function`, which the window's CSP (no 'unsafe-eval')
// forbids and reports as a violation. Schemas decide this when they are built, so this module
// must be imported before anything that defines one.
z.config({ jitless: true });
