import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { textFieldStorage } from './persist-storage.js';
import './theme.css';

export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

const THEME_KEY = 'warroom.theme';
const LARGE_TYPE_KEY = 'warroom.largeType';

const isTheme = (value: unknown): value is Theme => typeof value === 'string' && (THEMES as readonly string[]).includes(value);

interface AppearanceState {
  theme: Theme;
  /** Bigger text for a screen shared with a room, read from across the table. */
  largeType: boolean;
  setTheme(theme: Theme): void;
  setLargeType(on: boolean): void;
}

/** Dark is the default: a command centre is often a dim room, and the console was drawn for it first. */
export const useAppearance = create<AppearanceState>()(
  persist(
    (set) => ({
      theme: 'dark',
      largeType: false,
      setTheme: (theme) => set({ theme }),
      setLargeType: (largeType) => set({ largeType }),
    }),
    {
      name: 'warroom.appearance',
      storage: textFieldStorage<{ theme: string; largeType: string }>({ theme: THEME_KEY, largeType: LARGE_TYPE_KEY }),
      partialize: ({ theme, largeType }) => ({ theme, largeType: largeType ? 'on' : 'off' }),
      merge: (stored, current) => {
        const saved = (stored ?? {}) as { theme?: unknown; largeType?: unknown };
        return { ...current, theme: isTheme(saved.theme) ? saved.theme : current.theme, largeType: saved.largeType === 'on' };
      },
    },
  ),
);

/** The page's look follows the store live: CSS variables switch on these two attributes of <html>. */
export function applyAppearance(root: HTMLElement = document.documentElement): () => void {
  const apply = ({ theme, largeType }: AppearanceState) => {
    root.dataset['theme'] = theme;
    root.dataset['type'] = largeType ? 'large' : 'normal';
  };
  apply(useAppearance.getState());
  return useAppearance.subscribe(apply);
}
