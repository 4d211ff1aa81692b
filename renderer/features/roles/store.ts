import { create } from 'zustand';

/** The role, directory and hand-off dialogs; one at a time, each opened by keyboard or palette. */
export type RolesDialog = 'roles' | 'people' | 'handoff' | 'acknowledge';

interface RolesUiState {
  dialog: RolesDialog | null;
  open(dialog: RolesDialog): void;
  close(): void;
}

export const useRolesUi = create<RolesUiState>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));
