import type { PersistStorage } from 'zustand/middleware';

/**
 * Storage adapters for zustand's `persist`. They keep the formats these preferences have always had
 * in localStorage, so choices made before `persist` still load; validating what comes back is each
 * store's `merge`. localStorage may refuse (private mode, a full quota): a preference is a
 * convenience, never a reason for the console to fail.
 */
export function readPreference(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writePreference(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Kept for this session only.
  }
}

/** The persisted fields as one JSON object under the store's name, without persist's envelope. */
export function jsonStorage<S>(): PersistStorage<S> {
  return {
    getItem(name) {
      const raw = readPreference(name);
      if (raw === null) return null;
      try {
        return { state: JSON.parse(raw) as S };
      } catch {
        // A hand-edited or corrupted entry must not stop the console from opening.
        return null;
      }
    },
    setItem: (name, value) => writePreference(name, JSON.stringify(value.state)),
    removeItem: (name) => writePreference(name, null),
  };
}

/** Each field as plain text under a key of its own; a null field removes its key. */
export function textFieldStorage<S extends Record<string, string | null>>(keys: { [K in keyof S]: string }): PersistStorage<Partial<S>> {
  const entries = Object.entries(keys) as [keyof S & string, string][];
  return {
    getItem() {
      const state: Partial<Record<keyof S, string>> = {};
      for (const [field, key] of entries) {
        const value = readPreference(key);
        if (value !== null) state[field] = value;
      }
      return { state: state as Partial<S> };
    },
    setItem(_name, { state }) {
      for (const [field, key] of entries) if (field in state) writePreference(key, state[field] ?? null);
    },
    removeItem() {
      for (const [, key] of entries) writePreference(key, null);
    },
  };
}
