import { z } from 'zod';
import { CATEGORIES, CategorySchema, FISHBONE_CATEGORIES, IdSchema, type Category, type EventEnvelope } from '../record/events.js';
import type { IncidentView } from '../record/fold.js';
import { computeMetrics } from '../review/metrics.js';
import { PRIORITIES, PrioritySchema, type Priority } from '../incidents/priority.js';
import { foldReview, viewReview, type FishboneCategory } from '../review/review.js';
import type { SlaPolicy } from '../clocks/sla.js';
import { foldText } from '../text/fold.js';

/**
 * Trends across incidents, for the continuous-improvement part of the review: how many
 * incidents of each category and priority per month, how long they took to resolve, how
 * often the SLA held, and which contributing factors keep coming back. Drills never count:
 * the caller passes real incidents only, and says how many drills it left out.
 */

const count = z.number().int().min(0);

export const TrendMonthSchema = z.strictObject({
  /** YYYY-MM in the reader's time zone. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  total: count,
  byCategory: z.record(CategorySchema, count),
  byPriority: z.record(PrioritySchema, count),
  resolved: count,
  /** Mean time to resolve (detected → resolved, as in the review metrics) of the month's resolved incidents. */
  mttrMs: z.number().min(0).nullable(),
  slaMet: count,
  slaBreached: count,
  /** slaMet / (slaMet + slaBreached); null when no incident of the month can be judged yet. */
  slaMetRate: z.number().min(0).max(1).nullable(),
});
export type TrendMonth = z.infer<typeof TrendMonthSchema>;

export const RecurringFactorSchema = z.strictObject({
  category: z.enum(FISHBONE_CATEGORIES),
  text: z.string(),
  /** Distinct incidents that named it. */
  count,
  incidents: z.array(z.strictObject({ id: IdSchema, title: z.string() })),
});

export const TrendsSchema = z.strictObject({
  months: z.array(TrendMonthSchema),
  /** From the reviews of the period's incidents, like everything else here. */
  factorCategories: z.array(z.strictObject({ category: z.enum(FISHBONE_CATEGORIES), count })),
  factors: z.array(RecurringFactorSchema),
  /** Real incidents declared in the period. */
  incidents: count,
  drillsExcluded: count,
});
export type Trends = z.infer<typeof TrendsSchema>;

export interface TrendIncident {
  view: IncidentView;
  events: readonly EventEnvelope[];
}

export interface TrendOptions {
  policy: SlaPolicy;
  now: number;
  timeZone: string;
  /** How many months, ending with the current one. */
  months: number;
  drillsExcluded: number;
}

export const MAX_FACTORS = 20;

export function monthKey(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? '0000';
  const month = parts.find((p) => p.type === 'month')?.value ?? '00';
  return `${year}-${month}`;
}

/** The `n` month keys ending with `last`, oldest first. */
export function monthRange(last: string, n: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** The same factor typed twice ("No runbook." / "no runbook") is one factor. */
export function factorKey(text: string): string {
  return foldText(text)
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function computeTrends(incidents: readonly TrendIncident[], options: TrendOptions): Trends {
  const keys = monthRange(monthKey(options.now, options.timeZone), options.months);
  const months = new Map<string, TrendMonth & { resolveTotal: number }>(
    keys.map((month) => [
      month,
      {
        month,
        total: 0,
        byCategory: zeros<Category>(CATEGORIES),
        byPriority: zeros<Priority>(PRIORITIES),
        resolved: 0,
        mttrMs: null,
        slaMet: 0,
        slaBreached: 0,
        slaMetRate: null,
        resolveTotal: 0,
      },
    ]),
  );
  const factors = new Map<string, { category: FishboneCategory; text: string; incidents: Map<string, string> }>();
  const categories = zeros<FishboneCategory>(FISHBONE_CATEGORIES);

  for (const { view, events } of incidents) {
    if (view.drill) continue;
    const month = months.get(monthKey(view.declaredAt, options.timeZone));
    if (!month) continue;
    const review = viewReview(foldReview(events));
    for (const factor of review.factors) {
      categories[factor.category]++;
      const key = `${factor.category}:${factorKey(factor.text)}`;
      const entry = factors.get(key) ?? { category: factor.category, text: factor.text, incidents: new Map<string, string>() };
      entry.incidents.set(view.id, view.title);
      factors.set(key, entry);
    }
    month.total++;
    month.byCategory[view.category]++;
    month.byPriority[view.priority]++;
    const metrics = computeMetrics(view, events, { policy: options.policy, now: options.now });
    if (metrics.timeToResolve.ms !== null) {
      month.resolved++;
      month.resolveTotal += metrics.timeToResolve.ms;
    }
    const outcomes = [metrics.sla.response.outcome, metrics.sla.resolution.outcome];
    if (outcomes.includes('breached')) month.slaBreached++;
    else if (metrics.sla.resolution.outcome === 'met' && outcomes.every((o) => o === 'met' || o === 'no_target')) month.slaMet++;
  }

  return {
    months: [...months.values()].map(({ resolveTotal, ...m }) => ({
      ...m,
      mttrMs: m.resolved ? resolveTotal / m.resolved : null,
      slaMetRate: m.slaMet + m.slaBreached ? m.slaMet / (m.slaMet + m.slaBreached) : null,
    })),
    factorCategories: FISHBONE_CATEGORIES.map((category) => ({ category, count: categories[category] })),
    factors: [...factors.values()]
      .map((f) => ({ category: f.category, text: f.text, count: f.incidents.size, incidents: [...f.incidents].map(([id, title]) => ({ id, title })) }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category) || a.text.localeCompare(b.text))
      .slice(0, MAX_FACTORS),
    incidents: [...months.values()].reduce((sum, m) => sum + m.total, 0),
    drillsExcluded: options.drillsExcluded + incidents.filter((i) => i.view.drill).length,
  };
}
