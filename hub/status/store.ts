import { z } from 'zod';
import { PublicStatusSchema } from '../../shared/status/events.js';
import type { EventEnvelope } from '../../shared/record/events.js';
import type { HubStorage, Team } from '../storage.js';

/**
 * What the public status page may show, folded on the hub from exactly two kinds of events:
 * `status.visibility` (an incident marked public, with the title and services customers see)
 * and `status.published` (an approved customer update the commander chose to publish). Notes,
 * decisions, internal updates and every other event never reach it. Fields are last-writer-wins
 * by HLC; updates are keyed by their draft, so a repeated push changes nothing.
 */
const NS = 'status-incident';

const PublicIncidentSchema = z.strictObject({
  incidentId: z.string(),
  visibility: z.strictObject({ public: z.boolean(), title: z.string(), services: z.array(z.string()), at: z.number(), hlc: z.string() }).nullable(),
  updates: z.array(z.strictObject({ draftId: z.string(), status: PublicStatusSchema, body: z.string(), at: z.number(), hlc: z.string(), eventId: z.string() })),
});
export type PublicIncident = z.infer<typeof PublicIncidentSchema>;

export async function foldStatusEvents(storage: HubStorage, team: Team, events: EventEnvelope[]): Promise<void> {
  for (const event of events) {
    if (event.kind !== 'status.visibility' && event.kind !== 'status.published') continue;
    for (let attempt = 0; attempt < 10; attempt++) {
      const raw = await storage.getRecord(team.id, NS, event.incidentId);
      const current: PublicIncident = raw ? PublicIncidentSchema.parse(JSON.parse(raw)) : { incidentId: event.incidentId, visibility: null, updates: [] };
      const next = apply(current, event);
      if (next === current) break;
      if (await storage.putRecord(team.id, NS, event.incidentId, JSON.stringify(next), raw)) break;
    }
  }
}

function apply(current: PublicIncident, event: EventEnvelope): PublicIncident {
  const p = event.payload as Record<string, unknown>;
  const at = typeof p['occurredAt'] === 'number' ? p['occurredAt'] : event.recordedAt;
  if (event.kind === 'status.visibility') {
    if (current.visibility && current.visibility.hlc >= event.hlc) return current;
    return {
      ...current,
      visibility: { public: p['public'] === true, title: String(p['title']), services: (p['services'] as string[]) ?? [], at, hlc: event.hlc },
    };
  }
  const draftId = String(p['draftId']);
  const existing = current.updates.find((u) => u.draftId === draftId);
  // The first publication of an update is the one shown: publishing is an act, not a field to overwrite.
  if (existing && existing.hlc <= event.hlc) return current;
  const update = { draftId, status: PublicStatusSchema.parse(p['status']), body: String(p['body']), at, hlc: event.hlc, eventId: event.id };
  const updates = [...current.updates.filter((u) => u.draftId !== draftId), update].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  return { ...current, updates };
}

/** Public incidents with at least one published update, newest activity first. */
export async function publicIncidents(
  storage: HubStorage,
  team: Team,
): Promise<(PublicIncident & { visibility: NonNullable<PublicIncident['visibility']> })[]> {
  const rows = await storage.listRecords(team.id, NS);
  const incidents = rows
    .map((row) => PublicIncidentSchema.safeParse(JSON.parse(row.value)))
    .filter((r) => r.success)
    .map((r) => r.data)
    .filter((i): i is PublicIncident & { visibility: NonNullable<PublicIncident['visibility']> } => i.visibility?.public === true && i.updates.length > 0);
  const last = (i: PublicIncident) => i.updates[i.updates.length - 1]!.at;
  return incidents.sort((a, b) => last(b) - last(a));
}
