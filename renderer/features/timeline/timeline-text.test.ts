import { describe, expect, it } from 'vitest';
import i18next, { type TFunction } from 'i18next';
import type { EventEnvelope } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { en } from '../../i18n/en.js';
import { fr } from '../../i18n/fr.js';
import { describeEntry } from './timeline-text.js';

async function translator(lng: 'en' | 'fr'): Promise<TFunction> {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance.t;
}

const INCIDENT = '01900000-0000-7000-8000-000000000001';
const TASK = '01900000-0000-7000-8000-0000000000aa';
const DRAFT = '01900000-0000-7000-8000-0000000000bb';
let seq = 0;

function event(kind: string, payload: Record<string, unknown>): EventEnvelope {
  seq++;
  return {
    id: `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    incidentId: INCIDENT,
    kind,
    payload,
    actor: 'Ana',
    deviceId: 'dev-1',
    hlc: `${String(1_700_000_000_000 + seq).padStart(15, '0')}:000000:dev-1`,
    recordedAt: 1_700_000_000_000 + seq,
  };
}

const view = {
  tasks: [{ id: TASK, title: 'Fail over to DC2', owner: '', status: 'doing', createdAt: 1, createdBy: 'Ana' }],
  comms: [
    {
      id: DRAFT,
      audience: 'customers',
      channel: 'status_page',
      body: 'x',
      state: 'sent',
      createdAt: 1,
      createdBy: 'Ana',
      approvedBy: null,
      approvedAt: null,
      sentBy: null,
      sentAt: null,
    },
  ],
} as unknown as IncidentView;

describe('describeEntry', () => {
  it('shows typed entries as written, with their kind', async () => {
    const t = await translator('en');
    const hostile = '<img src=x onerror=alert(1)>';
    expect(describeEntry(event('timeline.entry', { entryKind: 'decision', text: hostile, occurredAt: 1 }), view, t)).toEqual({
      badge: 'decision',
      text: hostile,
      details: [],
      typed: true,
    });
  });

  it('turns system events into sentences naming the task and audience from the view', async () => {
    const t = await translator('en');
    expect(describeEntry(event('task.moved', { taskId: TASK, status: 'done', occurredAt: 1 }), view, t).text).toBe('Task “Fail over to DC2” moved to Done');
    expect(describeEntry(event('comms.sent', { draftId: DRAFT, channel: 'status_page', body: 'We are on it.', occurredAt: 1 }), view, t)).toEqual({
      badge: 'comms',
      text: 'Status update sent to Customers via Status page',
      details: ['We are on it.'],
      typed: false,
    });
    expect(describeEntry(event('incident.priority', { impact: 'high', urgency: 'medium', occurredAt: 1 }), view, t).text).toBe(
      'Priority set to P2 (impact High, urgency Medium)',
    );
  });

  it('lists what the declaration recorded under its sentence', async () => {
    const t = await translator('en');
    const declared = event('incident.declared', {
      title: 'Checkout down',
      description: 'All card payments fail',
      occurredAt: 1,
      detectedAt: 2,
      declaredAt: 3,
      services: ['checkout', 'payments'],
      reporter: 'Service desk, ext. 4242',
      detectionSource: 'service_desk',
      category: 'software',
      impact: 'high',
      urgency: 'high',
      commander: 'Ana',
      drill: false,
    });
    expect(describeEntry(declared, view, t)).toEqual({
      badge: 'declared',
      text: 'Incident declared: “Checkout down” — P1, commander Ana',
      details: ['All card payments fail', 'Impacted services: checkout, payments', 'Reported by Service desk, ext. 4242 · detected by Service desk'],
      typed: false,
    });
  });

  it('speaks French with the domain vocabulary', async () => {
    const t = await translator('fr');
    expect(describeEntry(event('incident.status', { status: 'mitigated', occurredAt: 1 }), view, t).text).toBe('Statut passé à Atténué');
    expect(describeEntry(event('comms.sent', { draftId: DRAFT, channel: 'email', body: 'x', occurredAt: 1 }), view, t).text).toBe(
      'Point de situation envoyé à Clients par E-mail',
    );
  });

  it('keeps entries of unknown kinds, or with payloads this version cannot read, neutral', async () => {
    const t = await translator('en');
    const unknown = describeEntry(event('incident.escalated', { to: 'CEO' }), view, t);
    expect(unknown).toEqual({ badge: 'other', text: 'Entry of an unknown kind (from a newer version)', details: [], typed: false });
    expect(describeEntry(event('task.moved', { taskId: TASK, status: 'archived', occurredAt: 1 }), view, t).badge).toBe('other');
  });

  it('names a task or draft it cannot find neutrally rather than failing', async () => {
    const t = await translator('en');
    const other = '01900000-0000-7000-8000-0000000000cc';
    expect(describeEntry(event('task.assigned', { taskId: other, owner: 'Bo', occurredAt: 1 }), null, t).text).toBe(
      'Task “a task no longer shown” assigned to Bo',
    );
  });
});

describe('translations', () => {
  const leaves = (obj: object, prefix = ''): [string, string][] =>
    Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as [string, string]] : leaves(v as object, `${prefix}${k}.`)));
  const variables = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

  it('gives French every English key, non-empty, with the same placeholders', () => {
    const french = new Map(leaves(fr));
    for (const [key, text] of leaves(en)) {
      const translated = french.get(key);
      expect(translated, key).toBeTruthy();
      expect(variables(translated!), key).toEqual(variables(text));
    }
    expect(french.size).toBe(leaves(en).length);
  });
});
