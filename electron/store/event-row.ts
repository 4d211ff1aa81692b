/** A row of the events table as SQLite returns it; the store, the timeline rows, the clocks and the archive export all read these columns. */
export interface EventRow {
  id: string;
  incident_id: string;
  kind: string;
  hlc: string;
  recorded_at: number;
  actor: string;
  device_id: string;
  payload: string;
}
