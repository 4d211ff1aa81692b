import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Node has no localStorage: a Map-backed one that, like the browser's, may be told to refuse writes. */
function standInLocalStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  let full = false;
  return {
    items,
    fill: () => (full = true),
    storage: {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => {
        if (full) throw new Error('QuotaExceededError');
        items.set(key, value);
      },
      removeItem: (key: string) => void items.delete(key),
    },
  };
}

let local: ReturnType<typeof standInLocalStorage>;
const use = (initial: Record<string, string> = {}) => {
  local = standInLocalStorage(initial);
  vi.stubGlobal('localStorage', local.storage);
};

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllGlobals());

describe('persisted preferences (zustand persist, the formats they always had)', () => {
  it('the task pane reads the JSON saved before persist, and saves the same shape back', async () => {
    use({ 'warroom.tasks': JSON.stringify({ view: 'table', kind: 'followup', hidden: ['owner', 'title', 'bogus'] }) });
    const { useTaskUi } = await import('../features/tasks/store.js');
    expect(useTaskUi.getState()).toMatchObject({ view: 'table', kind: 'followup', hidden: ['owner'] });
    useTaskUi.getState().setView('board');
    expect(JSON.parse(local.items.get('warroom.tasks')!)).toEqual({ view: 'board', kind: 'followup', hidden: ['owner'] });
  });

  it('a corrupted entry or a refused write never stops the pane', async () => {
    use({ 'warroom.tasks': '{not json' });
    const { useTaskUi } = await import('../features/tasks/store.js');
    expect(useTaskUi.getState()).toMatchObject({ view: 'board', kind: 'response', hidden: [] });
    local.fill();
    useTaskUi.getState().setKind('followup');
    expect(useTaskUi.getState().kind).toBe('followup');
  });

  it('the theme and large type keep their own keys as plain text', async () => {
    use({ 'warroom.theme': 'light', 'warroom.largeType': 'on' });
    const { useAppearance } = await import('./theme.js');
    expect(useAppearance.getState()).toMatchObject({ theme: 'light', largeType: true });
    useAppearance.getState().setTheme('dark');
    useAppearance.getState().setLargeType(false);
    expect(local.items.get('warroom.theme')).toBe('dark');
    expect(local.items.get('warroom.largeType')).toBe('off');
  });

  it('an unknown theme falls back on dark', async () => {
    use({ 'warroom.theme': 'neon' });
    const { useAppearance } = await import('./theme.js');
    expect(useAppearance.getState().theme).toBe('dark');
  });
});
