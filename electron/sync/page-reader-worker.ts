import { parentPort } from 'node:worker_threads';
import { nobleSealCipher } from '../../shared/sync/seal-cipher.js';
import { message } from '../../shared/text/errors.js';
import { SyncError } from './hub-request.js';
import { nodeSealCipher } from './node-seal-cipher.js';
import { readPullPage } from './pull-page.js';
import type { ReaderReply, ReaderRequest } from './page-reader.js';

/**
 * The page reader's thread (page-reader.ts): fetches a pull page, decodes it, parses it and
 * admits every event (opening the sealed ones) while the core's thread writes the page before.
 * What it sends back is the page as the core writes it; a failure is the same SyncError, by value.
 */
const port = parentPort;
if (!port) throw new Error('page-reader must run as a worker thread');

const CIPHERS = new Map([nobleSealCipher, nodeSealCipher].map((cipher) => [cipher.name, cipher]));

port.on('message', (request: ReaderRequest) => {
  const cipher = CIPHERS.get(request.cipher);
  const read = cipher ? readPullPage(fetch, request.pull, cipher) : Promise.reject(new Error(`the page reader has no cipher named ${request.cipher}`));
  read.then(
    (page) => port.postMessage({ id: request.id, page } satisfies ReaderReply),
    (error: unknown) =>
      port.postMessage(
        (error instanceof SyncError
          ? { id: request.id, error: { reason: error.reason, offline: error.offline, retryAfterMs: error.retryAfterMs } }
          : { id: request.id, failure: message(error) }) satisfies ReaderReply,
      ),
  );
});

// Loaded: the engine sends pages here from now on (it read them itself meanwhile).
port.postMessage({ ready: true } satisfies ReaderReply);
