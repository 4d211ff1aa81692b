import { create } from 'zustand';
import { isLanguage, type Language } from '../i18n/index.js';

const LANGUAGE_KEY = 'warroom.language';
const INCIDENT_KEY = 'warroom.incident';

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (isLanguage(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

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

export const useUi = create<UiState>()((set) => ({
  selectedIncidentId: localStorage.getItem(INCIDENT_KEY),
  declareOpen: false,
  helpOpen: false,
  language: initialLanguage(),
  selectIncident(id) {
    if (id) localStorage.setItem(INCIDENT_KEY, id);
    else localStorage.removeItem(INCIDENT_KEY);
    set({ selectedIncidentId: id });
  },
  setDeclareOpen: (declareOpen) => set({ declareOpen }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setLanguage(language) {
    localStorage.setItem(LANGUAGE_KEY, language);
    set({ language });
  },
}));
