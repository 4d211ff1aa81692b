import type { EventEnvelope, EventKind, PayloadOf } from '../record/events.js';

export interface SampleDrillOptions {
  incidentId: string;
  /** A fresh UUID per call (event, task and draft ids). */
  newId: () => string;
  deviceId: string;
  /** Who records the drill; they also play the incident commander. */
  actor: string;
  now: number;
  /**
   * HLC stamp for an event that happened `offsetMs` from `now` (negative: in the past).
   * Called once per event, in the order the events happened, so a clock that simply ticks
   * still yields stamps in causal order.
   */
  clock: (offsetMs: number) => string;
}

const MIN = 60_000;

/**
 * A fictional major outage to practise on: a power failure in one data centre takes the
 * payment gateway down and traffic does not fail over on its own (the 2017 airline outage in
 * DOMAIN.md had the same shape). About fifty minutes of a live bridge, ending mitigated with
 * work still open. The text is scenario data, in English like any recorded incident; the UI
 * localises only its own labels.
 */
export function sampleDrillEvents(opts: SampleDrillOptions): EventEnvelope[] {
  const { incidentId, newId, deviceId, actor, now, clock } = opts;
  const events: EventEnvelope[] = [];
  const at = (minutesAgo: number) => now - minutesAgo * MIN;

  function record<K extends EventKind>(kind: K, minutesAgo: number, payload: PayloadOf<K>): void {
    events.push({ id: newId(), incidentId, kind, payload, actor, deviceId, hlc: clock(-minutesAgo * MIN), recordedAt: at(minutesAgo) });
  }
  const entry = (minutesAgo: number, entryKind: PayloadOf<'timeline.entry'>['entryKind'], text: string) =>
    record('timeline.entry', minutesAgo, { entryKind, text, occurredAt: at(minutesAgo) });

  const [generator, failover, stuckQueue, replay] = [newId(), newId(), newId(), newId()];
  const [customerUpdate, executiveUpdate] = [newId(), newId()];

  record('incident.declared', 48, {
    title: 'Drill: payment gateway outage after a data-centre power failure',
    description:
      'Card payments fail at checkout for most customers. Data centre DC1 lost utility power; the payment gateway nodes there went down and traffic did not fail over to DC2.',
    occurredAt: at(52),
    detectedAt: at(50),
    declaredAt: at(48),
    services: ['Payment gateway', 'Checkout', 'Card authorisation API'],
    reporter: 'NOC on-call (alert PGW-5xx-rate)',
    detectionSource: 'monitoring',
    category: 'hardware',
    impact: 'high',
    urgency: 'high',
    commander: actor,
    drill: true,
  });
  record('incident.role', 47, { role: 'scribe', person: 'Lena Fischer', occurredAt: at(47) });
  record('incident.role', 46, { role: 'comms_lead', person: 'Marc Dubois', occurredAt: at(46) });
  record('incident.role', 46, { role: 'ops_lead', person: 'Priya Nair', occurredAt: at(46) });
  record('incident.status', 45, { status: 'investigating', occurredAt: at(45) });
  entry(45, 'note', 'Bridge opened on the incident phone line; payments, network and facilities teams joined.');
  entry(44, 'finding', 'Facilities confirm DC1 lost utility power. The UPS carried the load for about four minutes, then the generator failed to start.');
  entry(42, 'hypothesis', 'Traffic is not failing over because the global load balancer health checks still see the DC1 virtual IPs as up.');
  record('task.created', 41, { taskId: generator, title: 'Get generator status and an ETA for DC1 power', owner: 'Omar Haddad', occurredAt: at(41) });
  record('task.created', 40, { taskId: failover, title: 'Fail payment gateway traffic over to DC2', owner: 'Priya Nair', occurredAt: at(40) });
  record('task.created', 39, { taskId: stuckQueue, title: 'Check the card authorisation queue for stuck transactions', owner: '', occurredAt: at(39) });
  const customerBody = 'We are investigating failed card payments at checkout. Some customers cannot complete purchases. Next update in 30 minutes.';
  record('comms.drafted', 38, { draftId: customerUpdate, audience: 'customers', channel: 'status_page', body: customerBody, occurredAt: at(38) });
  entry(37, 'decision', 'Fail over to DC2 by hand now rather than wait for power to return to DC1.');
  record('task.moved', 36, { taskId: failover, status: 'doing', occurredAt: at(36) });
  record('comms.approved', 35, { draftId: customerUpdate, occurredAt: at(35) });
  record('comms.sent', 34, { draftId: customerUpdate, channel: 'status_page', body: customerBody, occurredAt: at(34) });
  record('task.assigned', 33, { taskId: stuckQueue, owner: 'Jonas Berg', occurredAt: at(33) });
  record('task.moved', 32, { taskId: generator, status: 'doing', occurredAt: at(32) });
  entry(28, 'action', 'DC1 pool drained on the load balancer and DNS weight for the payment API moved fully to DC2.');
  entry(25, 'finding', 'Payment API error rate falling: 5xx down from 62% to 8% within three minutes of the failover.');
  record('task.moved', 22, { taskId: failover, status: 'done', occurredAt: at(22) });
  record('task.moved', 20, { taskId: stuckQueue, status: 'doing', occurredAt: at(20) });
  entry(18, 'finding', 'About 1,400 authorisations are stuck in the queue; they can be replayed once the ledger is confirmed consistent.');
  record('incident.status', 15, { status: 'mitigated', occurredAt: at(15) });
  record('task.created', 14, { taskId: replay, title: 'Replay stuck authorisations after the ledger check', owner: 'Jonas Berg', occurredAt: at(14) });
  record('comms.drafted', 12, {
    draftId: executiveUpdate,
    audience: 'executives',
    channel: 'email',
    body: 'Payments are working again through our second data centre (mitigated). About 1,400 card authorisations are queued and will be replayed after a ledger check. DC1 is still without mains power. Next update in 30 minutes.',
    occurredAt: at(12),
  });
  entry(8, 'note', 'Facilities: generator repaired and DC1 back on mains power. Traffic stays on DC2 until after the review.');
  record('task.moved', 5, { taskId: generator, status: 'done', occurredAt: at(5) });
  return events;
}
