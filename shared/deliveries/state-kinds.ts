import type { EventKind } from '../record/events.js';

/**
 * The kinds of event the delivery view (deliveries.state) is folded from: an event of any
 * other kind leaves it as it was, so the comms pane need not read it again. Migration 11
 * indexes exactly these rows (electron/store/migrations/011_delivery_events_index.ts).
 */
export const DELIVERY_STATE_KINDS = ['delivery.requested', 'delivery.outcome', 'status.visibility', 'status.published'] as const satisfies readonly EventKind[];

const stateKinds: ReadonlySet<string> = new Set(DELIVERY_STATE_KINDS);

export function changesDeliveryState(kind: string): boolean {
  return stateKinds.has(kind);
}
