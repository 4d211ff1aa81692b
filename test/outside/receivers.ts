import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A self-signed certificate for 127.0.0.1, made with openssl, so STARTTLS is real and verified. */
export function makeCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = path.join(dir, 'smtp.key');
  const certFile = path.join(dir, 'smtp.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
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
  {
    holdReplies = false,
    holdFirstReplyTo,
    greylistOnce,
  }: {
    /** Keep each message but never answer its DATA: the sender is caught between its send and its outcome. */
    holdReplies?: boolean;
    /** Keep the first message to this address but answer its final dot only after `ms` (the sender gave up by then). */
    holdFirstReplyTo?: { address: string; ms: number };
    /** Answer the first RCPT TO of this address 451 (greylisting): the message never left the sender. */
    greylistOnce?: string;
  } = {},
): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  let held = false;
  let greylisted = false;
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
    onRcptTo(address, _session, callback) {
      if (address.address === greylistOnce && !greylisted) {
        greylisted = true;
        return callback(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
      }
      callback();
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
        if (holdReplies) return;
        if (holdFirstReplyTo && !held && session.envelope.rcptTo.some((r) => r.address === holdFirstReplyTo.address)) {
          held = true;
          setTimeout(() => callback(), holdFirstReplyTo.ms);
          return;
        }
        callback();
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
  /** What it was answered; 0 when the answer was never sent. */
  status: number;
}

export interface HttpReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Answer the next `count` posts to `path` with `status` (then 200 again). */
  failNext(path: string, count: number, status: number): void;
  /** Answer every post to `path` with `status`. */
  always(path: string, status: number): void;
  /** Read the next `count` posts to `path` whole but never answer them (the answer is lost on the way). */
  stallNext(path: string, count: number): void;
  close(): Promise<void>;
}

/** A local HTTP server standing in for Slack, Teams, Mattermost and a generic webhook receiver. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const posts: ReceivedPost[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  const fixed = new Map<string, number>();
  const stalls = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const route = request.url ?? '/';
      const stalled = stalls.get(route) ?? 0;
      if (stalled > 0) {
        stalls.set(route, stalled - 1);
        posts.push({ path: route, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status: 0 });
        return;
      }
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
    stallNext: (route, count) => stalls.set(route, count),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Decode a MIME header (RFC 2047 encoded-words, Q or B, UTF-8), as a mail client would show it. */
export function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) => {
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
