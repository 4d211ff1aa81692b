import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/api/api.js';
import { describeSync, initialEnabled, shortDeviceId, skewMinutes } from './sync-display.js';

const base: SyncStatus = {
  state: 'up_to_date',
  hubUrl: 'http://127.0.0.1:4800',
  hasToken: true,
  pending: 0,
  offlineSince: null,
  lastSyncedAt: 1_000,
  error: null,
  reason: null,
  progress: null,
  clockSkew: null,
  plainHttp: false,
  quarantined: 0,
};

describe('describeSync', () => {
  it('says offline, since when, and how much waits', () => {
    expect(describeSync({ ...base, state: 'offline', offlineSince: 500, pending: 3, error: 'The hub is unreachable.' })).toEqual({
      state: 'offline',
      since: 500,
      pending: 3,
      retrying: false,
      reason: 'The hub is unreachable.',
    });
  });

  it('keeps saying offline while the engine retries a hub it cannot reach', () => {
    const retry = { ...base, state: 'syncing' as const, offlineSince: 500, pending: 2, progress: { pulled: 0, pushed: 0 } };
    expect(describeSync(retry)).toMatchObject({ state: 'offline', since: 500, pending: 2, retrying: true });
  });

  it('says syncing, with the counts, once a catch-up moves entries after an outage', () => {
    const catchUp = { ...base, state: 'syncing' as const, offlineSince: 500, progress: { pulled: 40, pushed: 2 } };
    expect(describeSync(catchUp)).toEqual({ state: 'syncing', pulled: 40, pushed: 2 });
    expect(describeSync({ ...base, state: 'syncing', progress: { pulled: 0, pushed: 0 } })).toEqual({ state: 'syncing', pulled: 0, pushed: 0 });
  });

  it('says up to date as of the last sync, and what was written since', () => {
    expect(describeSync({ ...base, pending: 1 })).toEqual({ state: 'up_to_date', at: 1_000, pending: 1 });
  });

  it('passes the error reason and sync off through', () => {
    expect(describeSync({ ...base, state: 'error', error: 'The hub refused the team token (401).', pending: 4 })).toEqual({
      state: 'error',
      reason: 'The hub refused the team token (401).',
      pending: 4,
    });
    expect(describeSync({ ...base, state: 'disabled' })).toEqual({ state: 'disabled' });
  });
});

describe('small helpers', () => {
  it('shortens device ids and rounds skew to whole minutes, at least one', () => {
    expect(shortDeviceId('AbCdEf123456')).toBe('AbCdEf');
    expect(skewMinutes(61_000)).toBe(1);
    expect(skewMinutes(5 * 60_000 + 20_000)).toBe(5);
    expect(skewMinutes(10)).toBe(1);
  });

  it('starts the settings with sync on unless the user turned a complete set-up off', () => {
    expect(initialEnabled(null)).toBe(true);
    expect(initialEnabled(base)).toBe(true);
    expect(initialEnabled({ ...base, state: 'disabled', hubUrl: '' })).toBe(true);
    expect(initialEnabled({ ...base, state: 'disabled', hasToken: false })).toBe(true);
    expect(initialEnabled({ ...base, state: 'disabled' })).toBe(false);
  });
});
