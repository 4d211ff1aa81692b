import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiErrorBody, ChangeNotice } from '../../shared/api/api.js';

/**
 * The only bridge between the sandboxed page and the main process: `call` and `onChange`, the
 * two halves of the API in shared/api/api.ts. Results arrive as { ok, value | error } because an
 * Error crossing the context bridge loses everything but its message; the renderer unwraps.
 */

/** Filled in at build time from shared/api/api.ts, so the preload stays small and free of zod. */
declare const __WARROOM_CHANNELS__: readonly string[];
const CHANNELS = new Set<string>(__WARROOM_CHANNELS__);

type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

contextBridge.exposeInMainWorld('warroom', {
  call(channel: unknown, input: unknown): Promise<CallResult> {
    if (typeof channel !== 'string' || !CHANNELS.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `There is no channel named "${String(channel)}".` } });
    }
    return ipcRenderer.invoke('warroom:call', channel, input) as Promise<CallResult>;
  },
  onChange(listener: (notice: ChangeNotice) => void): () => void {
    // The page never sees the IPC event (it carries the sender, a way back into ipcRenderer).
    const forward = (_event: IpcRendererEvent, notice: ChangeNotice) => listener(notice);
    ipcRenderer.on('warroom:change', forward);
    return () => {
      ipcRenderer.removeListener('warroom:change', forward);
    };
  },
});
