import { errorText } from '../../api/error-text.js';
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { EventEnvelope } from '../../../shared/record/events.js';
import { TIMELINE_WINDOW_MAX, type TimelineFilter, type TimelineRow } from '../../../shared/timeline/channels.js';
import { api } from '../../api/client.js';
import { coalesce } from '../../api/coalesce.js';

/** Rows fetched beyond what is on screen, each side, so a scroll by a page or two needs no request. */
const MARGIN = 100;
/** Rows fetched for the newest end of the timeline. */
const TAIL = 60;

export const EMPTY_FILTER: TimelineFilter = { text: '', kinds: [], actors: [], starred: false };

interface TimelineState {
  incidentId: string | null;
  filter: TimelineFilter;
  /** Pinned to the newest entry: new entries scroll into view, and reads fetch the end. */
  follow: boolean;
  /** Index (in the filtered timeline) of the first row held. */
  offset: number;
  rows: TimelineRow[];
  /** Rows matching the filter, and in the whole timeline. */
  total: number;
  all: number;
  authors: string[];
  loaded: boolean;
  error: string | null;
  /**
   * An entry to bring into view and focus once a window holding it has arrived (after an edit
   * moved it, or jump to now). While it is pending, every read centres on it.
   */
  reveal: { id: string; after: number; moves: number } | null;
  /** Counts the windows received, so a reveal waits for one read after it was asked. */
  version: number;
  /** The filter changed and the rows shown do not reflect it yet. */
  pending: boolean;
}

/**
 * The selected incident's timeline, a window at a time: the store answers in display order,
 * already filtered, so 100,000 entries cost the renderer only the rows held here.
 */
export const useTimeline = create<TimelineState>()(() => ({
  incidentId: null,
  filter: EMPTY_FILTER,
  follow: true,
  offset: 0,
  rows: [],
  total: 0,
  all: 0,
  authors: [],
  loaded: false,
  error: null,
  reveal: null,
  version: 0,
  pending: false,
}));

const message = (error: unknown) => errorText(error);

export function rowAt(state: Pick<TimelineState, 'offset' | 'rows'>, index: number): TimelineRow | undefined {
  // A negative index would send the engine looking through the array's prototype chain.
  return index < state.offset ? undefined : state.rows[index - state.offset];
}

/** Only the newest request may write: an answer to a window the user has scrolled past is dropped. */
let latest = 0;
/** The request whose answer the rows hold: while it is not `latest`, a read is on its way (or failed) and rows are not patched from a notice. */
let applied = 0;

interface Request {
  offset?: number;
  limit?: number;
  fromEnd?: boolean;
  aroundId?: string;
}

function read(incidentId: string, filter: TimelineFilter, request: Request) {
  return api.call('timeline.query', { incidentId, filter, limit: request.limit ?? TAIL, ...request });
}

/** Authors change rarely and cost a scan: read when the incident opens and when the author list is about to be used. */
export async function loadAuthors(): Promise<void> {
  const { incidentId } = useTimeline.getState();
  if (!incidentId) return;
  try {
    const authors = await api.call('timeline.authors', { incidentId });
    if (useTimeline.getState().incidentId === incidentId) useTimeline.setState({ authors });
  } catch (error) {
    useTimeline.setState({ error: message(error) });
  }
}

/** The window that keeps what is on screen now: the end when following, else the rows held. */
function currentRequest(state: TimelineState): Request {
  if (state.reveal) return { aroundId: state.reveal.id, limit: 2 * MARGIN };
  if (state.follow || state.rows.length === 0) return { fromEnd: true, limit: TAIL };
  return { offset: state.offset, limit: Math.max(state.rows.length, TAIL) };
}

/**
 * Fetch the selected incident's window; the caller applies it together with the incident
 * view (stores/sync.ts), so the rows and the sentences naming tasks and drafts agree.
 */
export async function loadTimeline(incidentId: string): Promise<() => void> {
  const state = useTimeline.getState();
  const switched = state.incidentId !== incidentId;
  const filter = switched ? EMPTY_FILTER : state.filter;
  const request = switched ? { fromEnd: true, limit: TAIL } : currentRequest(state);
  const ticket = ++latest;
  try {
    const window = await read(incidentId, filter, request);
    return () => {
      if (ticket !== latest && !switched) return;
      applied = ticket;
      useTimeline.setState({
        ...(switched && { follow: true, reveal: null, authors: [] }),
        incidentId,
        filter,
        offset: window.offset,
        version: useTimeline.getState().version + 1,
        rows: window.rows,
        total: window.total,
        all: window.all,
        loaded: true,
        error: null,
      });
      if (switched) void loadAuthors();
    };
  } catch (error) {
    return () => useTimeline.setState({ ...(switched && { incidentId, rows: [], total: 0, all: 0, loaded: true }), error: message(error) });
  }
}

const before = (a: TimelineRow, b: TimelineRow) => a.occurredAt < b.occurredAt || (a.occurredAt === b.occurredAt && a.event.hlc < b.event.hlc);

/**
 * The rows a change notice carries, put in the window held without reading it again: a new
 * entry at the end of a timeline following the newest rows, a star or a redaction of a row on
 * screen. False when the window cannot be patched with certainty (a filter, scrolled back, a
 * row that moved or is not held, an entry dated earlier, a read on its way): read it again then.
 */
export function applyRowChanges(incidentId: string, changes: { added: readonly TimelineRow[]; updated: readonly TimelineRow[] }): boolean {
  const state = useTimeline.getState();
  const unfiltered = !state.filter.text.trim() && !state.filter.kinds.length && !state.filter.actors.length && !state.filter.starred;
  if (state.incidentId !== incidentId || !state.loaded || state.pending || state.reveal || !unfiltered || applied !== latest) return false;
  const rows = [...state.rows];
  for (const row of changes.updated) {
    if (row.event.incidentId !== incidentId) continue;
    const i = rows.findIndex((held) => held.event.id === row.event.id);
    if (i < 0 || rows[i]!.occurredAt !== row.occurredAt) return false;
    rows[i] = row;
  }
  const added = changes.added.filter((row) => row.event.incidentId === incidentId);
  if (added.length) {
    const atEnd = state.follow && state.offset + state.rows.length === state.total;
    const last = rows.at(-1);
    if (!atEnd || (last && !added.every((row) => before(last, row)))) return false;
    rows.push(...[...added].sort((a, b) => (before(a, b) ? -1 : 1)));
  }
  // The window stays the size it was read at.
  const dropped = Math.max(0, rows.length - Math.max(TAIL, state.rows.length));
  useTimeline.setState({
    rows: dropped ? rows.slice(dropped) : rows,
    offset: state.offset + dropped,
    total: state.total + added.length,
    all: state.all + added.length,
    version: state.version + 1,
    error: null,
  });
  return true;
}

export function clearTimeline(): void {
  latest++;
  useTimeline.setState({
    incidentId: null,
    filter: EMPTY_FILTER,
    follow: true,
    offset: 0,
    rows: [],
    total: 0,
    all: 0,
    authors: [],
    loaded: false,
    error: null,
    reveal: null,
  });
}

/** `patch` is applied with the answer; as a function, it is decided then (it may have become moot meanwhile). */
async function fetchInto(request: Request, patch: Partial<TimelineState> | (() => Partial<TimelineState>) = {}): Promise<void> {
  const state = useTimeline.getState();
  const { incidentId } = state;
  if (!incidentId) return;
  const filter = (typeof patch === 'function' ? undefined : patch.filter) ?? state.filter;
  const ticket = ++latest;
  try {
    const window = await read(incidentId, filter, request);
    if (ticket !== latest || useTimeline.getState().incidentId !== incidentId) return;
    applied = ticket;
    const late = typeof patch === 'function' ? patch() : patch;
    useTimeline.setState((s) => ({
      ...late,
      offset: window.offset,
      version: s.version + 1,
      rows: window.rows,
      total: window.total,
      all: window.all,
      error: null,
      pending: false,
    }));
  } catch (error) {
    if (ticket === latest) useTimeline.setState({ error: message(error), pending: false });
  }
}

/** Called as the list scrolls: fetch when the visible rows run past those held. */
export function ensureRange(start: number, end: number): void {
  const state = useTimeline.getState();
  // The read bringing the entry to reveal is on its way, or the view follows the newest rows, which every read brings.
  if (state.reveal || state.follow) return;
  const heldFrom = state.offset;
  const heldTo = state.offset + state.rows.length;
  const lowEdge = start < heldFrom + (heldFrom > 0 ? MARGIN / 4 : 0);
  const highEdge = end >= heldTo - (heldTo < state.total ? MARGIN / 4 : 0);
  if (!lowEdge && !highEdge) return;
  const offset = Math.max(0, start - MARGIN);
  void fetchInto({ offset, limit: end - start + 1 + 2 * MARGIN });
}

export function setFollow(follow: boolean): void {
  const state = useTimeline.getState();
  if (state.follow === follow) return;
  useTimeline.setState({ follow });
  // Scrolled down to the end of a window read elsewhere (around an edited entry): fetch the newest rows.
  if (follow && state.offset + state.rows.length < state.total) void fetchInto({ fromEnd: true, limit: TAIL });
}

/** While someone types a filter, at most one read runs and one waits: the one with the latest words. */
const readFiltered = coalesce(() => fetchInto({ fromEnd: true, limit: TAIL }));

/** A new filter shows its newest matches, as the unfiltered timeline does. */
export function setFilter(change: Partial<TimelineFilter>): Promise<void> {
  // The controls show the new filter at once; the rows follow when the store answers.
  useTimeline.setState((s) => ({ filter: { ...s.filter, ...change }, follow: true, reveal: null, pending: true }));
  return readFiltered();
}

/**
 * Counts what took the keyboard somewhere since a jump or a reveal was asked: the focus leaving the
 * timeline's list (to the filter, the bar, a dialog…) or a key moving the active entry in it. One
 * asked before such a move and answered after it (a loaded machine) neither moves the active entry
 * nor takes the focus: the keyboard stays where the user took it. (Taking it back was how j then ↑
 * on a loaded machine ended on the newest entry: ↑ moved up, then j's late answer moved back down.)
 */
let keyboardMoves = 0;
export function focusLeftList(): void {
  keyboardMoves++;
}
export function movedInList(): void {
  keyboardMoves++;
}
export function keyboardMovedSince(moves: number): boolean {
  return keyboardMoves !== moves;
}

/** Back to the newest entry, following again; with `focus`, the newest entry takes the keyboard focus. */
export async function jumpToNow(focus = false): Promise<void> {
  const moves = keyboardMoves;
  // The newest entry is held already (the view follows it, as it does through most of an incident):
  // it takes the focus now, not after a read, so the keys typed right after j act from it (j then ↑
  // is the entry above the newest) however loaded the machine.
  const held = useTimeline.getState();
  const newestHeld = held.offset + held.rows.length === held.total ? held.rows.at(-1) : undefined;
  if (focus && newestHeld) useTimeline.setState((s) => ({ follow: true, reveal: { id: newestHeld.event.id, after: s.version - 1, moves } }));
  // The keyboard moved while the newest rows were read: the view stays as the user left it.
  await fetchInto({ fromEnd: true, limit: TAIL }, () => (keyboardMovedSince(moves) ? {} : { follow: true, reveal: null }));
  const last = useTimeline.getState().rows.at(-1);
  if (focus && last && last.event.id !== newestHeld?.event.id && !keyboardMovedSince(moves)) {
    useTimeline.setState((s) => ({ reveal: { id: last.event.id, after: s.version - 1, moves } }));
  }
}

/** Bring an entry into view (it may have moved, or sit far from the rows held) and mark it to be focused. */
export function revealEntry(id: string): Promise<void> {
  useTimeline.setState((s) => ({ reveal: { id, after: s.version, moves: keyboardMoves }, follow: false }));
  return fetchInto({ aroundId: id, limit: 2 * MARGIN });
}

export function revealed(): void {
  if (useTimeline.getState().reveal) useTimeline.setState({ reveal: null });
}

/** A row as an entry: its words and time as they read now (corrections applied). */
const entryOf = (row: TimelineRow): EventEnvelope => ({
  ...row.event,
  payload: { ...row.event.payload, ...(row.text !== null && { text: row.text }), occurredAt: row.occurredAt },
});

/**
 * Every entry of some kinds as they read now (corrections applied, redacted ones left out),
 * for views that need them all rather than a window: e.g. the open hypotheses of a hand-off.
 */
export async function fetchEntries(incidentId: string, kinds: TimelineFilter['kinds']): Promise<EventEnvelope[]> {
  const { rows } = await api.call('timeline.query', { incidentId, filter: { ...EMPTY_FILTER, kinds }, fromEnd: true, limit: TIMELINE_WINDOW_MAX });
  return rows.filter((row) => row.redaction === null).map(entryOf);
}

const entryBefore = (a: EventEnvelope, b: EventEnvelope) =>
  (a.payload['occurredAt'] as number) - (b.payload['occurredAt'] as number) || (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0);

/**
 * The entries with a notice's rows put in place: a new entry of these kinds, a corrected one
 * moved to its new time, a redacted one taken out. Null when none of the rows is of these kinds.
 */
export function withRowChanges(
  entries: readonly EventEnvelope[],
  incidentId: string,
  kinds: TimelineFilter['kinds'],
  changes: { added: readonly TimelineRow[]; updated: readonly TimelineRow[] },
): EventEnvelope[] | null {
  const relevant = [...changes.added, ...changes.updated].filter(
    (row) => row.event.incidentId === incidentId && (kinds.length === 0 || kinds.includes(row.badge)),
  );
  if (relevant.length === 0) return null;
  const changed = new Set(relevant.map((row) => row.event.id));
  const kept = entries.filter((entry) => !changed.has(entry.id));
  const shown = relevant.filter((row) => row.redaction === null).map(entryOf);
  return [...kept, ...shown].sort(entryBefore);
}

/**
 * `fetchEntries`, kept current from the change notices: the rows a notice carries are put in
 * place, so the timeline is not read again after every entry typed while the view is open;
 * it is read again only for a notice of this incident that comes without its rows, a new core
 * or a reconnect.
 */
export function useTimelineEntries(incidentId: string, kinds: TimelineFilter['kinds']): EventEnvelope[] {
  const [entries, setEntries] = useState<EventEnvelope[]>([]);
  const key = kinds.join(',');
  useEffect(() => {
    const wanted = key ? (key.split(',') as TimelineFilter['kinds']) : [];
    let live = true;
    let reading = false;
    const read = coalesce(async () => {
      reading = true;
      try {
        const fetched = await fetchEntries(incidentId, wanted);
        if (live) setEntries(fetched);
      } catch {
        // Kept as they were: the next notice or reconnect reads again.
      } finally {
        reading = false;
      }
    });
    void read();
    const stops = [
      api.onChange((notice) => {
        if (notice.coreRestarted) return void read();
        if (!notice.incidentIds.includes(incidentId)) return;
        // A read on its way may or may not hold these rows: read once more after it instead.
        if (!notice.timeline || reading) return void read();
        const { timeline } = notice;
        setEntries((held) => withRowChanges(held, incidentId, wanted, timeline) ?? held);
      }),
      api.onReconnect(() => void read()),
    ];
    return () => {
      live = false;
      stops.forEach((stop) => stop());
    };
  }, [incidentId, key]);
  return entries;
}
