/**
 * Where a hub token may be sent. The token is the team's whole record: it crosses a network only
 * inside TLS. Plain http is for a hub on this machine (a test, a local relay), or for a lab that
 * opts out loudly with WARROOM_ALLOW_PLAIN_HTTP_HUB=1 — the header then says so all the time.
 */

export const ALLOW_PLAIN_HTTP_ENV = 'WARROOM_ALLOW_PLAIN_HTTP_HUB';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** 127.0.0.0/8, ::1 and localhost never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True for an http:// URL whose host is not this machine: the token would cross a network in clear. */
export function isPlainHttpOffLoopback(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

/** Why this hub URL may not be used, or null. */
export function hubUrlProblem(url: string, allowPlainHttp: boolean): string | null {
  if (url === '') return null;
  if (isPlainHttpOffLoopback(url) && !allowPlainHttp) {
    return `a hub on another machine must use https:// so the team token never crosses the network in clear (a lab can opt out with ${ALLOW_PLAIN_HTTP_ENV}=1)`;
  }
  return null;
}

/** Scheme, host and port: the token given for one origin is never sent to another. */
export function sameOrigin(a: string, b: string): boolean {
  const left = parse(a);
  const right = parse(b);
  return left !== null && right !== null && left.origin === right.origin;
}

/** The opt-out, read once from the environment of the process that starts the core. */
export function plainHttpAllowed(env: NodeJS.ProcessEnv): boolean {
  return env[ALLOW_PLAIN_HTTP_ENV] === '1';
}
