import { create } from 'zustand';

/**
 * An incident declared while the person had gone on working (the form closed with Esc before the
 * answer came): the console stays where they are, and says politely that it is declared and how
 * to switch to it. Gone once they switch to it or dismiss it.
 */
interface DeclaredNoticeState {
  declared: { id: string; title: string } | null;
  show(id: string, title: string): void;
  dismiss(): void;
}

export const useDeclaredNotice = create<DeclaredNoticeState>()((set) => ({
  declared: null,
  show: (id, title) => set({ declared: { id, title } }),
  dismiss: () => set({ declared: null }),
}));
