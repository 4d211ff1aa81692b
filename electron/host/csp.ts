/**
 * One policy for both transports: the Electron window (injected as a response header) and the
 * browser-mode server. The renderer ships only bundled files, so nothing inline or remote is
 * needed. React sets style props through the CSSOM, which style-src does not govern, so inline
 * <style> and style="" markup stay forbidden.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-src 'none'; frame-ancestors 'none'; form-action 'none'";
