/**
 * The comms pane's delivery view (deliveries.state) is folded from four kinds of event only:
 * delivery requests and outcomes, status-page visibility and publications. It used to read and
 * parse every event of the incident (≈ 1 s at 100,000 entries, blocking the core worker, after
 * every change). A partial index holds just those rows, so the read grows with the deliveries,
 * not with the incident; appends of any other kind never touch it.
 *
 * The kind list is frozen here as a migration must be; the store's query repeats it word for
 * word (the planner uses a partial index only when the query's WHERE implies the index's), and
 * test/store.test.ts checks that the query still goes through it.
 */
export const migration = {
  version: 11,
  name: 'delivery events index',
  sql: `
    CREATE INDEX events_delivery_state ON events (incident_id, occurred_at, hlc)
      WHERE kind IN ('delivery.requested', 'delivery.outcome', 'status.visibility', 'status.published');
  `,
};
