import { create } from 'zustand';
import { useIncidents } from '../incidents/store.js';

/** Which of the library's windows is open: the library itself (search or trends), export, import, or starting a drill. */
export type LibraryPanel = 'library' | 'export' | 'import' | 'drill';
export type LibraryTab = 'search' | 'trends';

interface LibraryUi {
  panel: LibraryPanel | null;
  tab: LibraryTab;
  /** What the search box held, kept while the library is closed and reopened. */
  query: string;
  includeDrills: boolean;
  open(panel: LibraryPanel, tab?: LibraryTab): void;
  close(): void;
  setTab(tab: LibraryTab): void;
  setQuery(query: string): void;
  setIncludeDrills(includeDrills: boolean): void;
}

export const useLibraryUi = create<LibraryUi>()((set) => ({
  panel: null,
  tab: 'search',
  query: '',
  includeDrills: false,
  open: (panel, tab) => set((s) => ({ panel, tab: tab ?? s.tab })),
  close: () => set({ panel: null }),
  setTab: (tab) => set({ tab }),
  setQuery: (query) => set({ query }),
  setIncludeDrills: (includeDrills) => set({ includeDrills }),
}));

/** Export needs an incident on screen; the library, import and drills (from a scenario) work from anywhere. */
export function openLibraryPanel(panel: LibraryPanel): void {
  if (panel === 'export' && !useIncidents.getState().current) return;
  useLibraryUi.getState().open(panel);
}
