import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { ARCHIVE_FORMAT, ARCHIVE_LIMITS } from '../shared/library/archive.js';
import { STORE_FILE_NAME, type Store } from '../electron/store/store.js';
import type { WarroomCore } from '../electron/core/core.js';
import { fileFingerprint, tempDir } from './helpers.js';
import { HOSTILE, decodeFile, openCore, reviewedIncident } from './library-fixtures.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return `${error.body.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected the archive to be refused');
}

/** What a console holds, independent of its file: incidents, each one's view and timeline, and what waits for the hub. */
function contents(core: WarroomCore, store: Store) {
  const incidents = core.handle('incidents.list', {});
  return {
    incidents,
    views: incidents.map((i) => core.handle('incident.get', { incidentId: i.id }).incident),
    timelines: incidents.map((i) => core.handle('timeline.list', { incidentId: i.id }).entries.map((e) => e.id)),
    review: incidents.map((i) => core.handle('review.get', { incidentId: i.id })),
    events: store.eventCount(),
  };
}

describe('incident archive', () => {
  test('round trip: a second console imports the archive and shows the same incident, review included', () => {
    const a = openCore(tempDir());
    const { incidentId } = reviewedIncident(a.core);
    const file = a.core.handle('archive.export', { incidentId, gzip: false });
    expect(file.mimeType).toBe('application/json');
    expect(file.fileName).toMatch(/^checkout-down-img-src-x-onerror-alert-1-\d{4}-\d{2}-\d{2}\.warroom\.json$/);
    const archive = JSON.parse(decodeFile(file).toString('utf8'));
    expect(archive).toMatchObject({ format: ARCHIVE_FORMAT, version: 1, incidentId });
    expect(archive.events).toHaveLength(a.store.incidentEvents(incidentId).length);

    const b = openCore(tempDir());
    const result = b.core.handle('archive.import', { fileName: file.fileName, base64: file.base64 });
    expect(result).toMatchObject({ incidentId, title: `Checkout down ${HOSTILE}`, drill: false, alreadyPresent: 0 });
    expect(result.imported).toBe(archive.events.length);
    expect(contents(b.core, b.store)).toEqual(contents(a.core, a.store));
    // Imported events are shared with the team hub like events recorded here.
    expect(b.store.outboxCount()).toBe(archive.events.length);
  });

  test('importing the same archive twice changes nothing the second time', () => {
    const a = openCore(tempDir());
    const { incidentId } = reviewedIncident(a.core);
    const file = a.core.handle('archive.export', { incidentId, gzip: true });
    expect(file.fileName).toMatch(/\.warroom\.json\.gz$/);
    const dir = tempDir();
    const b = openCore(dir);
    const first = b.core.handle('archive.import', { base64: file.base64 });
    const before = { ...contents(b.core, b.store), outbox: b.store.outboxCount(), file: fileFingerprint(path.join(dir, STORE_FILE_NAME)) };
    const second = b.core.handle('archive.import', { base64: file.base64 });
    expect(second).toEqual({ ...first, imported: 0, alreadyPresent: first.imported });
    expect({ ...contents(b.core, b.store), outbox: b.store.outboxCount(), file: fileFingerprint(path.join(dir, STORE_FILE_NAME)) }).toEqual(before);
  });

  test('an archive of an incident this console already holds merges like sync: nothing is duplicated', () => {
    const a = openCore(tempDir());
    const { incidentId } = reviewedIncident(a.core);
    const early = a.core.handle('archive.export', { incidentId, gzip: false });
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Written after the first export' });
    const late = a.core.handle('archive.export', { incidentId, gzip: false });
    const b = openCore(tempDir());
    b.core.handle('archive.import', { base64: early.base64 });
    const result = b.core.handle('archive.import', { base64: late.base64 });
    expect(result.imported).toBe(1);
    expect(contents(b.core, b.store)).toEqual(contents(a.core, a.store));
  });

  describe('a hostile or broken archive is refused with its reason and changes nothing', () => {
    function setup() {
      const source = openCore(tempDir());
      const { incidentId } = reviewedIncident(source.core);
      const archive = JSON.parse(decodeFile(source.core.handle('archive.export', { incidentId, gzip: false })).toString('utf8'));
      const dir = tempDir();
      const target = openCore(dir);
      // The target holds an incident of its own, which must come through every refusal untouched.
      reviewedIncident(target.core, { title: 'Existing incident' });
      const file = path.join(dir, STORE_FILE_NAME);
      const before = { ...contents(target.core, target.store), outbox: target.store.outboxCount(), file: fileFingerprint(file) };
      const unchanged = () =>
        expect({ ...contents(target.core, target.store), outbox: target.store.outboxCount(), file: fileFingerprint(file) }).toEqual(before);
      const importing = (value: unknown) =>
        refusal(() => target.core.handle('archive.import', { base64: b64(typeof value === 'string' ? value : JSON.stringify(value)) }));
      return { archive, target, importing, unchanged };
    }

    test('not JSON, not an archive, or from a newer version', () => {
      const { archive, importing, unchanged } = setup();
      expect(importing('{"format": "warroom-incident", "events": [')).toMatch(/^invalid_input: The file is not JSON: /);
      expect(importing({ ...archive, format: 'something-else' })).toBe('invalid_input: The file is not a Warroom incident archive (format "something-else").');
      expect(importing([1, 2, 3])).toBe('invalid_input: The file is not a Warroom incident archive.');
      expect(importing({ ...archive, version: 2 })).toBe(
        'invalid_input: The archive was written by a newer version of Warroom (archive v2; this version reads v1).',
      );
      expect(importing({ ...archive, extra: true })).toMatch(/^invalid_input: The archive is malformed: \(root\): Unrecognized key: "extra"/);
      expect(refusal(() => setup().target.core.handle('archive.import', { base64: '%%%' }))).toMatch(/^invalid_input: base64: must be base64/);
      expect(refusal(() => setup().target.core.handle('archive.import', { base64: b64(Buffer.from([0xff, 0xfe, 0x00, 0x7b])) }))).toBe(
        'invalid_input: The file is not text in UTF-8: it is not a Warroom archive.',
      );
      unchanged();
    });

    test('each refusal carries a stable reason and its params for the console to say in the user’s language', () => {
      const { archive, target, unchanged } = setup();
      const reasonOf = (value: unknown) => {
        try {
          target.core.handle('archive.import', { base64: b64(typeof value === 'string' ? value : JSON.stringify(value)) });
        } catch (error) {
          if (error instanceof ApiError) return [error.body.reason, error.body.params];
          throw error;
        }
        throw new Error('expected the archive to be refused');
      };
      expect(reasonOf('{"format": "warroom-incident", "events": [')).toEqual(['archive_not_json', undefined]);
      expect(reasonOf([1, 2, 3])).toEqual(['archive_not_archive', undefined]);
      expect(reasonOf({ ...archive, version: 2 })).toEqual(['archive_newer', { version: 2, supported: 1 }]);
      expect(reasonOf({ ...archive, extra: true })).toEqual(['archive_malformed', { path: '(root)' }]);
      const events = archive.events.map((e: Record<string, unknown>, i: number) => (i === 1 ? { ...e, hlc: 'yesterday' } : e));
      expect(reasonOf({ ...archive, events })).toEqual(['archive_event_invalid', { n: 2, total: archive.events.length }]);
      unchanged();
    });

    test('one bad event among good ones: none of them is stored', () => {
      const { archive, importing, unchanged } = setup();
      const events = [...archive.events];
      // Larger than the hub would relay (a payload it cannot fold would be kept quarantined instead: test/untrusted-input.test.ts).
      events[3] = { ...events[3], payload: { ...events[3].payload, blob: 'x'.repeat(300 * 1024) } };
      expect(importing({ ...archive, events })).toMatch(/^invalid_input: Event 4 of \d+ is invalid: the event is \d+ bytes of JSON; at most 262144/);
      const noStamp = archive.events.map((e: Record<string, unknown>, i: number) => (i === 1 ? { ...e, hlc: 'yesterday' } : e));
      expect(importing({ ...archive, events: noStamp })).toMatch(/^invalid_input: Event 2 of \d+ is invalid: hlc: must be an HLC stamp/);
      unchanged();
    });

    test('events of several incidents, no declaration, or one id with two contents', () => {
      const { archive, importing, unchanged } = setup();
      const other = '0190a0b0-0000-7000-8000-00000000beef';
      const mixed = archive.events.map((e: Record<string, unknown>, i: number) => (i === 2 ? { ...e, incidentId: other } : e));
      expect(importing({ ...archive, events: mixed })).toBe(
        `invalid_input: Event 3 of ${archive.events.length} belongs to incident ${other}, not to the archive's incident ${archive.incidentId}: an archive holds one incident.`,
      );
      const undeclared = archive.events.filter((e: { kind: string }) => e.kind !== 'incident.declared');
      expect(importing({ ...archive, events: undeclared })).toBe(
        `invalid_input: The archive has no declaration for incident ${archive.incidentId} that this console can read.`,
      );
      const entry = archive.events.find((e: { kind: string }) => e.kind === 'timeline.entry');
      const forged = { ...entry, payload: { ...entry.payload, text: 'Rewritten history' } };
      expect(importing({ ...archive, events: [...archive.events, forged] })).toBe(`invalid_input: Event ${entry.id} appears twice with different contents.`);
      expect(importing({ ...archive, events: [] })).toMatch(/an archive holds at least the declaration/);
      unchanged();
    });

    test('oversized: too large as sent, or a small gzip that would inflate past the limit', () => {
      const { target, unchanged } = setup();
      const bomb = gzipSync(Buffer.alloc(ARCHIVE_LIMITS.bytes + 1024 * 1024, 0x20));
      expect(bomb.length).toBeLessThan(ARCHIVE_LIMITS.bytes / 500);
      expect(refusal(() => target.core.handle('archive.import', { base64: bomb.toString('base64') }))).toBe(
        `invalid_input: The archive is larger than ${ARCHIVE_LIMITS.bytes / 1024 / 1024} MiB once uncompressed.`,
      );
      const huge = 'A'.repeat(Math.ceil((ARCHIVE_LIMITS.fileBytes * 4) / 3) + 8);
      expect(refusal(() => target.core.handle('archive.import', { base64: huge }))).toMatch(/^invalid_input: base64: Too big/);
      unchanged();
    });

    test('markup and paths in the text stay text: stored as typed, shown escaped, never a file name', () => {
      const { target } = setup();
      const source = openCore(tempDir());
      const title = `../../etc/passwd <script>alert(1)</script> ${HOSTILE}`;
      const { incidentId } = reviewedIncident(source.core, { title });
      const file = source.core.handle('archive.export', { incidentId, gzip: false });
      expect(file.fileName).toMatch(/^etc-passwd-script-alert-1-script-img-src-x-onerror-alert-1-\d{4}-\d{2}-\d{2}\.warroom\.json$/);
      const result = target.core.handle('archive.import', { base64: file.base64 });
      expect(result.title).toBe(title);
      const report = target.core.handle('export.report', { incidentId, format: 'html', language: 'en' });
      expect(report.fileName).not.toMatch(/[/\\]|\.\./);
      const html = decodeFile(report).toString('utf8');
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('../../etc/passwd &lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });
});
