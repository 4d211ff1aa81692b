/** Kept equal to package.json's version (test/version.test.ts checks). */
export const APP_VERSION = '0.1.0';
