import { uuidv7 } from 'uuidv7';
import { parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../shared/record/events.js';
import { decodeHlc, HlcClock, MAX_FORWARD_SKEW_MS } from '../shared/record/hlc.js';
import type { HubStorage } from './storage.js';
import { sealForTeam } from './sealed-team.js';

/** Device id of events the hub writes itself (alerts received, delivery outcomes). */
export const HUB_DEVICE_ID = 'hub';

/**
 * The hub writes a few events of its own: an alert a source posted, the outcome of a delivery.
 * They are ordinary team events (validated like any pushed event, stored in the same log,
 * pulled by every laptop), stamped by the hub's own clock.
 */
export class HubRecorder {
  private readonly clock: HlcClock;

  constructor(
    private readonly storage: HubStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.clock = new HlcClock(HUB_DEVICE_ID, now);
  }

  /**
   * Advance past a laptop's stamp, so an outcome sorts after the request it answers. A stamp
   * further ahead than the skew bound is ignored: a laptop with a wrong clock must not drag
   * every stamp the hub writes into the future.
   */
  observe(hlc: string): void {
    if (decodeHlc(hlc).wall <= this.now() + MAX_FORWARD_SKEW_MS) this.clock.receive(hlc);
  }

  build<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>, actor: string, id: string = uuidv7()): EventEnvelope {
    // parseEvent: the hub holds its own events to the rules it holds laptops to.
    return parseEvent({ id, incidentId, kind, payload, actor, deviceId: HUB_DEVICE_ID, hlc: this.clock.tick(), recordedAt: this.now() });
  }

  async append(teamId: number, events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    // Sealed to the team's public key when it gave one: an alert is stored sealed from the moment it arrives.
    await this.storage.append(teamId, await sealForTeam(this.storage, teamId, events));
  }
}
