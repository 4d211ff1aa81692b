import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/api/api.js';
import { api } from '../api/client.js';
import { refreshCurrent, refreshList } from '../features/incidents/view-sync.js';

/**
 * Run a command and refetch right away rather than only on the change notice, so the
 * screen follows the user's own action even while the change stream is reconnecting.
 * Rejects with the ApiError, for the pane to show next to what the user typed.
 */
export async function command<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await api.call(channel, input);
  void refreshList();
  void refreshCurrent();
  return result;
}
