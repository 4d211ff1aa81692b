import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/api/api.js';
import { api } from '../api/client.js';
import { refreshCurrent, refreshList } from '../features/incidents/view-sync.js';

/**
 * Run a command. One that records events is answered on the screen by its change notice,
 * which carries what changed (a lost stream refetches everything when it returns); one that
 * records nothing (a setting, the people directory) refetches the views itself.
 * Rejects with the ApiError, for the pane to show next to what the user typed.
 */
export async function command<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await api.call(channel, input);
  if (!recordedEvents(result)) {
    void refreshList();
    void refreshCurrent();
  }
  return result;
}

function recordedEvents(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  return typeof (result as { eventId?: unknown }).eventId === 'string' || Array.isArray((result as { eventIds?: unknown }).eventIds);
}
