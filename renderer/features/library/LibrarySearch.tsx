import { format } from 'date-fns';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryHit } from '../../../shared/library/channels.js';
import { api } from '../../api/client.js';
import { useDateLocale } from '../../ui/hooks.js';
import { useLibraryUi } from './store.js';
import { message } from '../incidents/view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PriorityBadge } from '../../ui/PriorityBadge.js';

/** Typing pauses this long before the search runs, so each keystroke does not hit the store. */
const DEBOUNCE_MS = 180;

interface Results {
  query: string;
  hits: LibraryHit[];
  incidents: number;
}

interface HitGroup {
  incidentId: string;
  head: LibraryHit;
  hits: { hit: LibraryHit; index: number }[];
}

/** Hits under their incident, incidents in the order of their best hit: the header is said once, not per hit. */
function byIncident(hits: readonly LibraryHit[]): HitGroup[] {
  const groups = new Map<string, HitGroup>();
  hits.forEach((hit, index) => {
    const group = groups.get(hit.incidentId) ?? { incidentId: hit.incidentId, head: hit, hits: [] };
    group.hits.push({ hit, index });
    groups.set(hit.incidentId, group);
  });
  return [...groups.values()];
}

/** Search every incident on this console, lessons learned included; the keyboard goes from the box to the results and back. */
export function LibrarySearch() {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const query = useLibraryUi((s) => s.query);
  const includeDrills = useLibraryUi((s) => s.includeDrills);
  const { setQuery, setIncludeDrills, close } = useLibraryUi.getState();
  const [results, setResults] = useState<Results | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setResults(null);
      setError(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setBusy(true);
      api
        .call('library.search', { query: text, includeDrills })
        .then((found) => {
          if (!current) return;
          setResults({ query: text, ...found });
          setError(null);
        })
        .catch((e: unknown) => current && setError(t('library.search.failed', { message: message(e) })))
        .finally(() => current && setBusy(false));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, includeDrills, t]);

  const openHit = (hit: LibraryHit) => {
    useUi.getState().selectIncident(hit.incidentId);
    close();
  };

  const options = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button.library-hit') ?? [])];
  const moveFrom = (index: number, step: number) => {
    const all = options();
    if (index + step < 0) inputRef.current?.focus();
    else all[Math.min(all.length - 1, index + step)]?.focus();
  };
  const onInputKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      moveFrom(-1, 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const first = results?.hits[0];
      if (first) openHit(first);
    }
  };

  return (
    <div className="library-search">
      <div className="library-search-bar">
        <label className="label" htmlFor="library-query">
          {t('library.search.label')}
        </label>
        <input
          ref={inputRef}
          id="library-query"
          type="search"
          value={query}
          placeholder={t('library.search.placeholder')}
          aria-describedby="library-search-hint"
          aria-controls={results && results.hits.length > 0 ? 'library-results' : undefined}
          autoComplete="off"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onInputKey}
        />
        <label className="checkbox">
          <input type="checkbox" checked={includeDrills} onChange={(e) => setIncludeDrills(e.target.checked)} />
          {t('library.search.includeDrills')}
        </label>
      </div>
      <p id="library-search-hint" className="muted small">
        {t('library.search.hint')}
      </p>
      <ErrorNote text={error} />
      <p className="library-status" role="status">
        {busy
          ? t('library.search.searching')
          : results === null
            ? t('library.search.empty')
            : results.hits.length === 0
              ? t('library.search.none', { query: results.query })
              : t('library.search.count', { count: results.hits.length, incidents: String(results.incidents) })}
      </p>
      {results && results.hits.length > 0 && (
        <ol ref={listRef} id="library-results" className="library-results" aria-label={t('library.search.label')}>
          {byIncident(results.hits).map(({ incidentId, head, hits }) => (
            <li key={incidentId} className="library-group">
              <h3 className="library-group-head" id={`library-group-${incidentId}`}>
                <PriorityBadge priority={head.priority} />
                <span className="library-hit-title">{head.title}</span>
                {head.drill && <span className="drill-badge">{t('app.drillBadge')}</span>}
                <span className="muted">{t(`status.${head.status}`)}</span>
              </h3>
              <ol className="library-group-hits">
                {hits.map(({ hit, index }) => (
                  <li key={hit.eventId}>
                    <button
                      type="button"
                      className="library-hit"
                      data-incident-id={hit.incidentId}
                      aria-describedby={`library-group-${incidentId}`}
                      onClick={() => openHit(hit)}
                      onKeyDown={(e) => {
                        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                          e.preventDefault();
                          moveFrom(index, e.key === 'ArrowDown' ? 1 : -1);
                        }
                      }}
                    >
                      <span className="library-snippet">
                        {hit.snippet.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                      </span>
                      <span className="library-hit-meta muted">
                        {t('library.search.meta', { field: t(`library.search.field.${hit.field}`), actor: hit.actor, time: format(hit.at, 'PPp', { locale }) })}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
