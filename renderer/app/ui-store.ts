import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { textFieldStorage } from '../ui/persist-storage.js';
import { isLanguage, type Language } from '../i18n/index.js';

const LANGUAGE_KEY = 'warroom.language';
const INCIDENT_KEY = 'warroom.incident';

/** Until one is chosen, the browser's language if it is French, otherwise English. */
const browserLanguage = (): Language => (navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en');

interface UiState {
  selectedIncidentId: string | null;
  declareOpen: boolean;
  helpOpen: boolean;
  language: Language;
  selectIncident(id: string | null): void;
  setDeclareOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  setLanguage(language: Language): void;
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      selectedIncidentId: null,
      declareOpen: false,
      helpOpen: false,
      language: browserLanguage(),
      selectIncident: (selectedIncidentId) => set({ selectedIncidentId }),
      setDeclareOpen: (declareOpen) => set({ declareOpen }),
      setHelpOpen: (helpOpen) => set({ helpOpen }),
      setLanguage: (language) => set({ language }),
    }),
    {
      name: 'warroom.ui',
      // The open incident and the language, each under the key it always had.
      storage: textFieldStorage<{ selectedIncidentId: string | null; language: string }>({ selectedIncidentId: INCIDENT_KEY, language: LANGUAGE_KEY }),
      partialize: ({ selectedIncidentId, language }) => ({ selectedIncidentId, language }),
      merge: (stored, current) => {
        const saved = (stored ?? {}) as { selectedIncidentId?: unknown; language?: unknown };
        return {
          ...current,
          selectedIncidentId: typeof saved.selectedIncidentId === 'string' && saved.selectedIncidentId ? saved.selectedIncidentId : null,
          language: isLanguage(saved.language) ? saved.language : current.language,
        };
      },
    },
  ),
);
