import { useCallback } from 'react';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { jsonStorage } from './persist-storage.js';

/**
 * What a person typed and has not sent yet, per incident and per field: switching incident
 * unmounts the view, and a half-typed note, task or update must be there again on the way back
 * (nothing a user typed is ever lost) — after a reload too, so it is kept in localStorage.
 * A field sent, or emptied, takes its entry out.
 */
export const UNSENT_FIELDS = ['quickEntry', 'taskTitle', 'taskOwner', 'taskWhen', 'commsBody'] as const;
export type UnsentField = (typeof UNSENT_FIELDS)[number];
type Texts = Record<string, Partial<Record<UnsentField, string>>>;

interface UnsentState {
  texts: Texts;
  setText(incidentId: string, field: UnsentField, text: string): void;
}

const INCIDENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Only what this version writes: an incident id to a few known fields, each a string. */
function validTexts(stored: unknown): Texts {
  const texts: Texts = {};
  if (typeof stored !== 'object' || stored === null) return texts;
  for (const [incidentId, fields] of Object.entries(stored)) {
    // An incident id or nothing: a key like "__proto__" would set the object's prototype, not an entry.
    if (!INCIDENT_ID.test(incidentId) || typeof fields !== 'object' || fields === null) continue;
    const kept: Partial<Record<UnsentField, string>> = {};
    for (const field of UNSENT_FIELDS) {
      const text: unknown = (fields as Record<string, unknown>)[field];
      if (typeof text === 'string' && text !== '') kept[field] = text;
    }
    if (Object.keys(kept).length > 0) texts[incidentId] = kept;
  }
  return texts;
}

export const useUnsent = create<UnsentState>()(
  persist(
    (set) => ({
      texts: {},
      setText: (incidentId, field, text) =>
        set(({ texts }) => {
          const fields = { ...texts[incidentId] };
          if (text === '') delete fields[field];
          else fields[field] = text;
          const next = { ...texts };
          if (Object.keys(fields).length === 0) delete next[incidentId];
          else next[incidentId] = fields;
          return { texts: next };
        }),
    }),
    {
      name: 'warroom.unsent',
      storage: jsonStorage<{ texts: Texts }>(),
      partialize: ({ texts }) => ({ texts }),
      merge: (stored, current) => ({ ...current, texts: validTexts((stored as { texts?: unknown } | undefined)?.texts) }),
    },
  ),
);

/** The text of one field of one incident as typed so far. */
export const unsentText = (incidentId: string, field: UnsentField): string => useUnsent.getState().texts[incidentId]?.[field] ?? '';

/** A text field's value kept per incident: a drop-in for useState('') in the fields that send. */
export function useUnsentText(incidentId: string, field: UnsentField): [string, (text: string) => void] {
  const text = useUnsent((s) => s.texts[incidentId]?.[field] ?? '');
  const setText = useCallback((next: string) => useUnsent.getState().setText(incidentId, field, next), [incidentId, field]);
  return [text, setText];
}
