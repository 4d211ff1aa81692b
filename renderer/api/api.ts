import { z } from 'zod';
import {
  ApiError,
  ApiErrorSchema,
  ChangeNoticeSchema,
  channels,
  describeIssues,
  type ApiErrorBody,
  type ChangeNotice,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type WarroomApi,
} from '../../shared/api/api.js';
import { message } from '../../shared/text/errors.js';

/** What the Electron preload exposes through contextBridge: the API, with errors carried as values. */
const BridgeResultSchema = z.union([z.strictObject({ ok: z.literal(true), value: z.unknown() }), z.strictObject({ ok: z.literal(false), error: z.unknown() })]);

export interface Bridge {
  call(channel: string, input: unknown): Promise<unknown>;
  onChange(listener: (notice: unknown) => void): () => void;
}

declare global {
  interface Window {
    warroom?: Bridge;
  }
}

/** The renderer also hears when a lost change stream comes back, since notices sent meanwhile were missed. */
export interface RendererApi extends WarroomApi {
  onReconnect(listener: () => void): () => void;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

function toApiError(body: unknown, fallback: string): ApiError {
  const parsed = ApiErrorSchema.safeParse(body);
  const error: ApiErrorBody = parsed.success ? parsed.data : { code: 'internal', message: fallback };
  return new ApiError(error);
}

/** Outputs are checked against the contract too: a core from another version must fail loudly, not render garbage. */
function checkOutput<C extends ChannelName>(channel: C, value: unknown): ChannelOutput<C> {
  const parsed = channels[channel].output.safeParse(value);
  if (!parsed.success) {
    const described = describeIssues(parsed.error);
    throw new ApiError({ code: 'internal', message: `${channel}: unexpected reply (${described.message})` });
  }
  return parsed.data as ChannelOutput<C>;
}

function listeners<T>() {
  const set = new Set<(value: T) => void>();
  return {
    add(listener: (value: T) => void): () => void {
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(value: T): void {
      for (const listener of set) listener(value);
    },
  };
}

function noticeFrom(raw: unknown): ChangeNotice | null {
  const parsed = ChangeNoticeSchema.safeParse(raw);
  if (!parsed.success) {
    console.warn('Ignoring a malformed change notice:', describeIssues(parsed.error).message);
    return null;
  }
  return parsed.data;
}

function electronApi(bridge: Bridge): RendererApi {
  return {
    async call(channel, input) {
      const reply = BridgeResultSchema.safeParse(await bridge.call(channel, input));
      if (!reply.success) throw toApiError(null, `${channel}: malformed reply from the main process`);
      if (!reply.data.ok) throw toApiError(reply.data.error, `${channel} failed`);
      return checkOutput(channel, reply.data.value);
    },
    onChange(listener) {
      return bridge.onChange((raw) => {
        const notice = noticeFrom(raw);
        if (notice) listener(notice);
      });
    },
    // IPC has no connection to lose.
    onReconnect: () => () => undefined,
    onConnectionChange: () => () => undefined,
  };
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

function browserApi(): RendererApi {
  const changes = listeners<ChangeNotice>();
  const reconnects = listeners<void>();
  const connection = listeners<boolean>();
  let source: EventSource | null = null;
  let retryDelay = RECONNECT_MIN_MS;
  let hadError = false;

  // EventSource retries by itself after a dropped connection, but gives up for good on an
  // HTTP error (e.g. the server restarted and the stream was refused once); reopen then, with backoff.
  const open = () => {
    source = new EventSource('/api/changes');
    source.onopen = () => {
      retryDelay = RECONNECT_MIN_MS;
      connection.emit(true);
      if (hadError) reconnects.emit();
      hadError = false;
    };
    source.onmessage = (message: MessageEvent<string>) => {
      let raw: unknown;
      try {
        raw = JSON.parse(message.data);
      } catch {
        console.warn('Ignoring a change notice that is not JSON');
        return;
      }
      const notice = noticeFrom(raw);
      if (notice) changes.emit(notice);
    };
    source.onerror = () => {
      hadError = true;
      connection.emit(false);
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(open, retryDelay);
        retryDelay = Math.min(retryDelay * 2, RECONNECT_MAX_MS);
      }
    };
  };

  return {
    async call(channel, input) {
      let response: Response;
      try {
        // Same-origin, so the browser sends the per-launch auth cookie by itself.
        response = await fetch(`/api/call/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
      } catch (cause) {
        throw toApiError(null, `${channel}: ${message(cause)}`);
      }
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        // A reply that is not JSON is reported below by its HTTP status.
      }
      if (!response.ok) throw toApiError(body, `${channel}: HTTP ${response.status}`);
      return checkOutput(channel, body);
    },
    onChange(listener) {
      if (!source) open();
      return changes.add(listener);
    },
    onReconnect: (listener) => reconnects.add(() => listener()),
    onConnectionChange: (listener) => connection.add(listener),
  };
}

/** The preload's bridge when running in Electron, else the loopback HTTP server of browser mode. */
export function createApi(bridge: Bridge | undefined = window.warroom): RendererApi {
  return bridge ? electronApi(bridge) : browserApi();
}

export type { ChannelInput, ChannelName, ChannelOutput };
