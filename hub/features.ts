import type { FastifyInstance } from 'fastify';
import type { EventEnvelope } from '../shared/record/events.js';
import { registerAlertRoutes, type AlertRouteErrors } from './alerts/routes.js';
import { HubRecorder } from './recorder.js';
import type { HubStorage, Team } from './storage.js';

/**
 * The hub's reach beyond relaying events, registered from here so hub/server.ts only calls in:
 * alerts in (hub/alerts/), updates out (hub/deliveries/), the public status page (hub/status/).
 */
export interface FeatureContext {
  storage: HubStorage;
  errors: AlertRouteErrors;
  now?: () => number;
}

export interface Features {
  /** Called with every valid event of an accepted push (duplicates included: each feature is idempotent). */
  onPushed(team: Team, events: EventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}

export async function registerFeatures(app: FastifyInstance, context: FeatureContext): Promise<Features> {
  const recorder = new HubRecorder(context.storage, context.now);
  await registerAlertRoutes(app, { storage: context.storage, recorder, errors: context.errors });
  return {
    async onPushed(_team, events) {
      for (const event of events) recorder.observe(event.hlc);
    },
    async close() {},
  };
}
