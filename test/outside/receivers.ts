import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A self-signed certificate for 127.0.0.1, made with openssl, so STARTTLS is real and verified. */
export function makeCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = path.join(dir, 'smtp.key');
  const certFile = path.join(dir, 'smtp.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { keyFile, certFile };
}

export interface ReceivedMail {
  raw: string;
  /** Whether the message travelled inside TLS (after STARTTLS). */
  secure: boolean;
  user: string;
  from: string;
  to: string[];
}

export interface MailServer {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server (the smtp-server package) that insists on STARTTLS before anything else and
 * on PLAIN/LOGIN authentication, and keeps every message it accepts as raw text.
 */
export async function startMailServer(
  cert: { keyFile: string; certFile: string },
  credentials: { user: string; pass: string },
  /** Keep each message but never answer its DATA: the sender is caught between its send and its outcome. */
  { holdReplies = false }: { holdReplies?: boolean } = {},
): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    key: readFileSync(cert.keyFile),
    cert: readFileSync(cert.certFile),
    authMethods: ['PLAIN', 'LOGIN'],
    // Plain-text auth is refused before STARTTLS: the client has to upgrade first.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: String(session.user ?? ''),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        if (!holdReplies) callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface ReceivedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface HttpReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Answer the next `count` posts to `path` with `status` (then 200 again). */
  failNext(path: string, count: number, status: number): void;
  /** Answer every post to `path` with `status`. */
  always(path: string, status: number): void;
  close(): Promise<void>;
}

/** A local HTTP server standing in for Slack, Teams, Mattermost and a generic webhook receiver. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const posts: ReceivedPost[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  const fixed = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const route = request.url ?? '/';
      let status = fixed.get(route) ?? 200;
      const failing = failures.get(route);
      if (failing && failing.count > 0) {
        failing.count--;
        status = failing.status;
      }
      posts.push({ path: route, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'refused');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    failNext: (route, count, status) => failures.set(route, { count, status }),
    always: (route, status) => fixed.set(route, status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Decode a MIME header (RFC 2047 encoded-words, Q or B, UTF-8), as a mail client would show it. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) => {
      if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

/** Split a raw message into unfolded headers and a body decoded from its transfer encoding. */
export function parseMail(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, body: body.replace(/\r\n/g, '\n').trim() };
}
