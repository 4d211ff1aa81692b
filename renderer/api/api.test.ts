import { describe, expect, it } from 'vitest';
import { ApiError, type ChangeNotice } from '../../shared/api/api.js';
import { createApi, type Bridge } from './api.js';

/** The Electron half of the transport: what the preload hands over, unwrapped and checked. */
function bridge(reply: unknown): Bridge & { emit(notice: unknown): void; calls: [string, unknown][] } {
  const listeners = new Set<(notice: unknown) => void>();
  const calls: [string, unknown][] = [];
  return {
    calls,
    call: async (channel, input) => {
      calls.push([channel, input]);
      return reply;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (notice) => listeners.forEach((l) => l(notice)),
  };
}

const INFO = {
  version: '0.1.0',
  deviceId: 'dev-1',
  actor: 'Ana',
  actorChosen: true,
  dataDir: '/tmp/x',
  transport: 'electron',
  tokenStore: 'keychain',
  sealCipher: 'libsodium',
};
const ID = '01900000-0000-7000-8000-000000000001';

describe('the Electron transport', () => {
  it('passes the call through and returns the checked value', async () => {
    const fake = bridge({ ok: true, value: INFO });
    await expect(createApi(fake).call('app.info', {})).resolves.toEqual(INFO);
    expect(fake.calls).toEqual([['app.info', {}]]);
  });

  it('throws the core’s error as an ApiError with its code and message', async () => {
    const api = createApi(bridge({ ok: false, error: { code: 'not_found', message: 'No incident 42' } }));
    const error = await api.call('incident.get', { incidentId: ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toEqual({ code: 'not_found', message: 'No incident 42' });
  });

  it('refuses a reply that breaks the contract instead of rendering it', async () => {
    const wrongShape = await createApi(bridge({ ok: true, value: { version: 1 } }))
      .call('app.info', {})
      .catch((e: unknown) => e);
    expect((wrongShape as ApiError).body.code).toBe('internal');
    expect((wrongShape as ApiError).message).toMatch(/^app\.info: unexpected reply/);

    const notAResult = await createApi(bridge('surprise'))
      .call('app.info', {})
      .catch((e: unknown) => e);
    expect((notAResult as ApiError).message).toBe('app.info: malformed reply from the main process');

    const badError = await createApi(bridge({ ok: false, error: { nope: true } }))
      .call('app.info', {})
      .catch((e: unknown) => e);
    expect((badError as ApiError).body).toEqual({ code: 'internal', message: 'app.info failed' });
  });

  it('delivers valid change notices and drops malformed ones', () => {
    const fake = bridge(null);
    const seen: ChangeNotice[] = [];
    const stop = createApi(fake).onChange((n) => seen.push(n));
    fake.emit({ incidentIds: [ID], eventIds: [ID] });
    fake.emit({ incidentIds: 'all' });
    stop();
    fake.emit({ incidentIds: [ID], eventIds: [] });
    expect(seen).toEqual([{ incidentIds: [ID], eventIds: [ID] }]);
  });
});
