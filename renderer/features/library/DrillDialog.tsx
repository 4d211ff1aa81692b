import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelInput, ChannelOutput } from '../../../shared/api/api.js';
import { DRILL_SPEEDS, type DrillSpeed } from '../../../shared/drills/scenarios/schema.js';
import { describeDuration } from '../clocks/duration-text.js';
import { LANGUAGES, type Language } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { readFileText } from './library-files.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { useLibraryUi } from './store.js';
import { message, refreshList } from '../incidents/view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { LibraryModal } from './LibraryModal.js';

type Scenarios = ChannelOutput<'drill.scenarios'>;
type Choice = { kind: 'incident' } | { kind: 'scenario'; id: string } | { kind: 'file' };
const choiceKey = (c: Choice) => (c.kind === 'scenario' ? `scenario:${c.id}` : c.kind);

/** Start a drill: replay the incident on screen, a shipped scenario or a scenario file, at 1×, 2× or 10×. */
export function DrillDialog() {
  const { t } = useTranslation();
  const close = useLibraryUi((s) => s.close);
  const incident = useIncidents((s) => s.current);
  const actor = useIncidents((s) => s.info?.actor ?? '');
  const uiLanguage = useUi((s) => s.language);
  const [scenarios, setScenarios] = useState<Scenarios>([]);
  const [choice, setChoice] = useState<Choice>(incident ? { kind: 'incident' } : { kind: 'scenario', id: '' });
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [speed, setSpeed] = useState<DrillSpeed>(1);
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const [commander, setCommander] = useState(actor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api
      .call('drill.scenarios', {})
      .then((list) => {
        setScenarios(list);
        setChoice((c) => (c.kind === 'scenario' && !c.id && list[0] ? { kind: 'scenario', id: list[0].id } : c));
      })
      .catch((e: unknown) => setError(message(e)));
  }, []);
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input[name="drill-source"]:checked')?.focus();
  }, [scenarios.length]);

  const source = (): ChannelInput<'drill.start'>['source'] | null => {
    if (choice.kind === 'incident') return incident ? { kind: 'incident', incidentId: incident.id } : null;
    if (choice.kind === 'scenario') return choice.id ? { kind: 'scenario', scenarioId: choice.id } : null;
    return file ? { kind: 'file', content: file.content } : null;
  };

  const start = async () => {
    const picked = source();
    if (!picked || busy) {
      if (choice.kind === 'file' && !file) fileRef.current?.click();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { incidentId } = await command('drill.start', { source: picked, speed, language, ...(commander.trim() ? { commander: commander.trim() } : {}) });
      await refreshList();
      useUi.getState().selectIncident(incidentId);
      close();
    } catch (e) {
      setError(t('library.drill.failed', { message: message(e) }));
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void start();
    }
  };

  const option = (c: Choice, title: string, detail: string | null, extra?: string | null) => (
    <label key={choiceKey(c)} className={`drill-source${choiceKey(choice) === choiceKey(c) ? ' selected' : ''}`}>
      <input type="radio" name="drill-source" value={choiceKey(c)} checked={choiceKey(choice) === choiceKey(c)} onChange={() => setChoice(c)} />
      <span>
        <strong>{title}</strong>
        {detail && <span className="muted small">{detail}</span>}
        {extra && <span className="muted small">{extra}</span>}
      </span>
    </label>
  );

  return (
    <LibraryModal id="drill" title={t('library.drill.title')} wide onClose={close}>
      <form
        ref={formRef}
        className="drill-form"
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <p className="muted">{t('library.drill.lead')}</p>
        <fieldset className="drill-sources">
          <legend>{t('library.drill.source')}</legend>
          {incident && option({ kind: 'incident' }, t('library.drill.thisIncident', { title: incident.title }), t('library.drill.thisIncidentHint'))}
          {scenarios.map((s) =>
            option(
              { kind: 'scenario', id: s.id },
              s.title[language],
              s.summary[language],
              [
                s.basedOn ? t('library.drill.basedOn', { text: s.basedOn[language] }) : '',
                t('library.drill.injects', { count: s.injects, duration: describeDuration(s.durationMs, t) }),
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          )}
          {option({ kind: 'file' }, t('library.drill.file'), file ? t('library.drill.fileChosen', { fileName: file.name }) : t('library.drill.fileHint'))}
          <input
            ref={fileRef}
            className="visually-hidden"
            type="file"
            accept=".json,application/json"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const picked = e.target.files?.[0];
              if (!picked) return;
              void readFileText(picked).then((content) => {
                setFile({ name: picked.name, content });
                setChoice({ kind: 'file' });
              });
            }}
          />
          {choice.kind === 'file' && (
            <button type="button" onClick={() => fileRef.current?.click()}>
              {t('library.drill.chooseFile')}
            </button>
          )}
        </fieldset>
        <div className="drill-options">
          <div className="choice-row" role="radiogroup" aria-label={t('library.drill.speed')}>
            <span className="label">{t('library.drill.speed')}</span>
            {DRILL_SPEEDS.map((s) => (
              <label key={s} className="choice">
                <input type="radio" name="drill-speed" value={s} checked={speed === s} onChange={() => setSpeed(s)} />
                {t('library.drill.speedValue', { speed: String(s) })}
              </label>
            ))}
          </div>
          <div className="choice-row" role="radiogroup" aria-label={t('library.drill.language')}>
            <span className="label">{t('library.drill.language')}</span>
            {LANGUAGES.map((l) => (
              <label key={l} className="choice">
                <input type="radio" name="drill-language" value={l} checked={language === l} onChange={() => setLanguage(l)} />
                {t(`language.${l}Name`)}
              </label>
            ))}
          </div>
          <label className="inline-field">
            <span className="label">{t('library.drill.commander')}</span>
            <input value={commander} maxLength={120} onChange={(e) => setCommander(e.target.value)} />
          </label>
        </div>
        <ErrorNote text={error} />
        <div className="form-actions">
          <span className="muted small">{t('library.drill.keysHint')}</span>
          <button type="button" onClick={close}>
            {t('library.drill.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('library.drill.starting') : t('library.drill.start')}
          </button>
        </div>
      </form>
    </LibraryModal>
  );
}
