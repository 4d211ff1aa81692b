import type { FastifyInstance } from 'fastify';
import type { EventEnvelope } from '../shared/record/events.js';
import { registerAlertRoutes, type AlertRouteErrors, type FailedAuthGuard } from './alerts/routes.js';
import { EMPTY_CONFIG, type HubConfig } from './deliveries/config.js';
import { DeliveryWorker } from './deliveries/worker.js';
import { HubRecorder } from './recorder.js';
import { registerStatusRoutes } from './status/routes.js';
import { foldStatusEvents } from './status/store.js';
import type { HubStorage, Team } from './storage.js';

/**
 * The hub's reach beyond relaying events, registered from here so hub/server.ts only calls in:
 * alerts in (hub/alerts/), updates out (hub/deliveries/), the public status page (hub/status/).
 */
export interface FeatureContext {
  storage: HubStorage;
  /** Channels and status pages (`serve --config FILE`); none without it. */
  config?: HubConfig;
  errors: AlertRouteErrors & { notFound(message: string): Error };
  /** Failed authentications per address, counted with the team API's. */
  failedAuth: FailedAuthGuard;
  now?: () => number;
  /** How often the delivery loop looks for due retries. */
  deliveryPollMs?: number;
}

export interface Features {
  /** Called with every valid event of an accepted push (duplicates included: each feature is idempotent). */
  onPushed(team: Team, events: EventEnvelope[]): Promise<void>;
  deliveries: DeliveryWorker;
  close(): Promise<void>;
}

export async function registerFeatures(app: FastifyInstance, context: FeatureContext): Promise<Features> {
  const config = context.config ?? EMPTY_CONFIG;
  const recorder = new HubRecorder(context.storage, context.now);
  await registerAlertRoutes(app, { storage: context.storage, recorder, errors: context.errors, failedAuth: context.failedAuth });
  await registerStatusRoutes(app, { storage: context.storage, config, notFound: context.errors.notFound });
  const deliveries = new DeliveryWorker({
    storage: context.storage,
    recorder,
    config,
    ...(context.now && { now: context.now }),
    ...(context.deliveryPollMs && { pollMs: context.deliveryPollMs }),
  });
  app.addHook('onReady', () => deliveries.start());
  return {
    deliveries,
    async onPushed(team, events) {
      for (const event of events) recorder.observe(event.hlc);
      await foldStatusEvents(context.storage, team, events);
      await deliveries.enqueue(team, events);
    },
    close: () => deliveries.stop(),
  };
}
