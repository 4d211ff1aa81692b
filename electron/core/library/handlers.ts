import type { ChangeNotice, ChannelOutput, ParsedInput } from '../../../shared/api/api.js';
import type { EventEnvelope, EventKind, PayloadOf } from '../../../shared/record/events.js';
import type { AdmittedBatch } from '../../../shared/record/untrusted.js';
import type { IncidentState } from '../../../shared/record/fold.js';
import type { LIBRARY_CHANNELS } from '../../../shared/library/channels.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import { DrillEngine } from '../drills/drills.js';
import { exportArchive, exportReport, importArchive, importArchiveSteps, type ExportDeps } from './export.js';
import { Library } from './library.js';
import type { Store } from '../../store/store.js';

type LibraryChannel = keyof typeof LIBRARY_CHANNELS;
export type LibraryHandlers = { [C in LibraryChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

/** What the report, archive, library and drill commands need from the core, without reaching into its internals. */
export interface LibraryDeps {
  store: Store;
  now: () => number;
  actor: () => string;
  policy: () => SlaPolicy;
  requireIncident(incidentId: string): IncidentState;
  event<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): EventEnvelope;
  ingest(batch: AdmittedBatch): EventEnvelope[];
  notify(events: readonly EventEnvelope[]): void;
  publish(notice: ChangeNotice): void;
}

export interface LibraryTools {
  handlers: LibraryHandlers;
  /** Delivers drill injects; its host starts and stops the timer. */
  drills: DrillEngine;
  /** `archive.import` in slices, for the worker to record what is typed between them. */
  importSteps(input: ParsedInput<'archive.import'>): Generator<void, ChannelOutput<'archive.import'>>;
}

export function libraryTools(deps: LibraryDeps): LibraryTools {
  const library = new Library(deps.store, deps.now, deps.policy);
  const drills = new DrillEngine(deps);
  const exports: ExportDeps = deps;
  return {
    drills,
    importSteps: (input) => importArchiveSteps(exports, input),
    handlers: {
      'export.report': (input) => exportReport(exports, input),
      'archive.export': (input) => exportArchive(exports, input),
      'archive.import': (input) => importArchive(exports, input),
      'library.search': (input) => library.search(input),
      'trends.get': (input) => library.trends(input),
      'drill.scenarios': () => drills.scenarios(),
      'drill.start': (input) => drills.start(input),
      'drill.status': (input) => drills.status(input),
      'drill.stop': (input) => drills.stop(input),
    },
  };
}
