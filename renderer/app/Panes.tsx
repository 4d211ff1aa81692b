import { useEffect, useLayoutEffect, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, Panel, Separator, useGroupRef, type Layout, type LayoutChangedMeta } from 'react-resizable-panels';
import { readPreference, writePreference } from '../ui/persist-storage.js';
import { useAppearance } from '../ui/theme.js';
import { trackPaneFocus, useLayout, workWhereFocusIs, type PaneId } from './layout-store.js';

const DEFAULT_COLUMNS: Layout = { timeline: 38, side: 62 };
/** The task board gets the larger share: five cards and the owed-to-you strip must fit on a laptop. */
const DEFAULT_ROWS: Layout = { tasks: 65, comms: 35 };
/**
 * Large type on a laptop-height window: the header and every card grow by a third, so the board
 * gets a larger share (five whole cards with the owed-to-you strip open at 1366×768, with its
 * one-line card titles in TaskBoard.css); comms keeps its head, the status page and the form's
 * first row, and scrolls. Only a default: sizes the user set win.
 */
const DEFAULT_ROWS_LARGE_SHORT: Layout = { tasks: 71, comms: 29 };
/** Laptop height and below (768, 800, 900): where large type leaves the board too little room. */
const SHORT_WINDOW = '(max-height: 900px)';
/**
 * While an update is being written (the focus went into comms), comms takes the larger share, so
 * its compose area — audience, text box and Save — is whole without scrolling, in large type on a
 * laptop too; moving back to the board gives the board its room again. Only defaults: sizes the
 * user set in either state win, each kept apart.
 */
const COMMS_WORK_ROWS: Layout = { tasks: 45, comms: 55 };
const COMMS_WORK_ROWS_SHORT: Layout = { tasks: 30, comms: 70 };
const COLUMNS_KEY = 'warroom.panes.columns';
const ROWS_KEY = 'warroom.panes.rows';
const COMMS_WORK_ROWS_KEY = 'warroom.panes.rows.comms';

/** The sizes the user last gave, if what is stored is a layout of exactly these panes. */
function readSaved(key: string, fallback: Layout): Layout {
  try {
    const value: unknown = JSON.parse(readPreference(key) ?? 'null');
    if (typeof value !== 'object' || value === null) return fallback;
    const entries = Object.entries(value);
    const valid =
      entries.length === Object.keys(fallback).length &&
      entries.every(([id, size]) => id in fallback && typeof size === 'number' && Number.isFinite(size) && size > 0 && size < 100);
    return valid ? (Object.fromEntries(entries) as Layout) : fallback;
  } catch {
    return fallback;
  }
}

/** Saves what the user did (drag or keyboard), never what focus mode or a window resize did. */
const saver = (key: string) => (layout: Layout, meta: LayoutChangedMeta) => {
  if (meta.isUserInteraction) writePreference(key, JSON.stringify(meta.requestedLayout ?? layout));
};
const saveColumns = saver(COLUMNS_KEY);
const saveBoardRows = saver(ROWS_KEY);
const saveCommsRows = saver(COMMS_WORK_ROWS_KEY);
/** A size set while writing an update is that state's own; the board's sizes stay as they were. */
const saveRows = (layout: Layout, meta: LayoutChangedMeta) => (useLayout.getState().stackedWork === 'comms' ? saveCommsRows : saveBoardRows)(layout, meta);

/** Sizes in focus mode: the chosen pane takes most of the screen, the others stay visible and usable. */
const FOCUS_COLUMNS: Record<PaneId, Layout> = {
  timeline: { timeline: 72, side: 28 },
  tasks: { timeline: 22, side: 78 },
  comms: { timeline: 22, side: 78 },
};
const FOCUS_ROWS: Record<PaneId, Layout | null> = {
  timeline: null,
  tasks: { tasks: 82, comms: 18 },
  comms: { tasks: 18, comms: 82 },
};

function useShortWindow(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia(SHORT_WINDOW);
      query.addEventListener('change', changed);
      return () => query.removeEventListener('change', changed);
    },
    () => window.matchMedia(SHORT_WINDOW).matches,
  );
}

/**
 * The three working panes, resizable by mouse or keyboard (focus a separator, then the arrow
 * keys); the sizes the user sets are kept as preferences (renderer/ui/persist-storage.ts). Focus mode (`z`) enlarges one pane
 * without hiding the others and is never saved: leaving it brings back the user's own sizes.
 */
export function Panes({ incidentId, timeline, tasks, comms }: Record<PaneId, ReactNode> & { incidentId: string }) {
  const { t } = useTranslation();
  const focused = useLayout((s) => s.focused);
  const columnsRef = useGroupRef();
  const rowsRef = useGroupRef();
  const largeType = useAppearance((s) => s.largeType);
  const short = useShortWindow();
  const stackedWork = useLayout((s) => s.stackedWork);
  const rowsKey = stackedWork === 'comms' ? COMMS_WORK_ROWS_KEY : ROWS_KEY;
  const defaultRows =
    stackedWork === 'comms' ? (short ? COMMS_WORK_ROWS_SHORT : COMMS_WORK_ROWS) : largeType && short ? DEFAULT_ROWS_LARGE_SHORT : DEFAULT_ROWS;

  useEffect(trackPaneFocus, []);
  // Another incident (the panes drawn anew for it, or kept): the board's room back, unless the focus is in comms.
  useLayoutEffect(workWhereFocusIs, [incidentId]);

  useEffect(() => {
    columnsRef.current?.setLayout(focused ? FOCUS_COLUMNS[focused] : readSaved(COLUMNS_KEY, DEFAULT_COLUMNS));
    rowsRef.current?.setLayout((focused && FOCUS_ROWS[focused]) || readSaved(rowsKey, defaultRows));
  }, [focused, rowsKey, defaultRows, columnsRef, rowsRef]);

  return (
    <main className={`panes${focused ? ` focus-${focused}` : ''}`} data-focused={focused ?? undefined} data-work={stackedWork}>
      <Group
        id="panes-columns"
        orientation="horizontal"
        groupRef={columnsRef}
        defaultLayout={readSaved(COLUMNS_KEY, DEFAULT_COLUMNS)}
        onLayoutChanged={saveColumns}
      >
        <Panel id="timeline" minSize="22%" className="pane-slot" data-pane="timeline">
          {timeline}
        </Panel>
        <Separator className="pane-separator vertical" aria-label={t('layout.resizeColumns')} />
        <Panel id="side" minSize="22%" className="pane-slot">
          <Group id="panes-rows" orientation="vertical" groupRef={rowsRef} defaultLayout={readSaved(rowsKey, defaultRows)} onLayoutChanged={saveRows}>
            <Panel id="tasks" minSize="15%" className="pane-slot" data-pane="tasks">
              {tasks}
            </Panel>
            <Separator className="pane-separator horizontal" aria-label={t('layout.resizeRows')} />
            <Panel id="comms" minSize="15%" className="pane-slot" data-pane="comms">
              {comms}
            </Panel>
          </Group>
        </Panel>
      </Group>
      {focused && (
        <p className="focus-note" role="status">
          {t('layout.focusOn', { pane: t(`layout.panes.${focused}`) })}
        </p>
      )}
    </main>
  );
}
