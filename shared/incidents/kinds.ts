import { priorityOf } from './priority.js';
import { rowKind } from '../record/kind-spec.js';

/** The incident's declaration, status and priority. */
export const INCIDENT_KINDS = {
  'incident.declared': rowKind<'incident.declared'>()({
    fold: 'incident',
    badge: 'declared',
    text: {
      en: {
        declared: 'Incident declared: “{{title}}” — {{priority}}, commander {{commander}}',
        services: 'Impacted services: {{services}}',
        reporter: 'Reported by {{reporter}} · detected by {{source}}',
        source: 'Detected by {{source}}',
      },
      fr: {
        declared: 'Incident déclaré : « {{title}} » — {{priority}}, gestionnaire {{commander}}',
        services: 'Services impactés : {{services}}',
        reporter: 'Signalé par {{reporter}} · détecté par {{source}}',
        source: 'Détecté par {{source}}',
      },
    },
    sentence: (p, say, { label }) => {
      const source = label('detectionSource', p.detectionSource);
      return {
        text: say('declared', { title: p.title, priority: priorityOf(p.impact, p.urgency), commander: p.commander }),
        details: [
          p.description,
          p.services.length ? say('services', { services: p.services.join(', ') }) : '',
          p.reporter ? say('reporter', { reporter: p.reporter, source }) : say('source', { source }),
        ],
      };
    },
  }),
  'incident.status': rowKind<'incident.status'>()({
    fold: 'incident',
    badge: 'status',
    text: { en: { status: 'Status changed to {{status}}' }, fr: { status: 'Statut passé à {{status}}' } },
    sentence: (p, say, { label }) => ({ text: say('status', { status: label('status', p.status) }) }),
  }),
  'incident.priority': rowKind<'incident.priority'>()({
    fold: 'incident',
    badge: 'priority',
    text: {
      en: { priority: 'Priority set to {{priority}} (impact {{impact}}, urgency {{urgency}})' },
      fr: { priority: 'Priorité fixée à {{priority}} (impact {{impact}}, urgence {{urgency}})' },
    },
    sentence: ({ impact, urgency }, say, { label }) => ({
      text: say('priority', { priority: priorityOf(impact, urgency), impact: label('level', impact), urgency: label('level', urgency) }),
    }),
  }),
} as const;
