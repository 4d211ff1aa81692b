import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REPORT_FORMATS, type ExportProgress, type ReportFormat } from '../../../shared/library/channels.js';
import { LANGUAGES, type Language } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { localTimeZone, saveFile } from './library-files.js';
import { useLibraryUi } from './store.js';
import { message } from '../incidents/view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { LibraryModal } from './LibraryModal.js';

type Work = { kind: 'report' | 'archive'; progress: ExportProgress | null } | null;

/** Export the post-incident report (Markdown, HTML, PDF; English or French) or the incident archive, with progress for long ones. */
export function ExportDialog({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const close = useLibraryUi((s) => s.close);
  const uiLanguage = useUi((s) => s.language);
  const [format, setFormat] = useState<ReportFormat>('html');
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const [gzip, setGzip] = useState(false);
  const [work, setWork] = useState<Work>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only names this dialog's progress notices among others'; it need not be unguessable.
  const [jobId] = useState(() => `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => formRef.current?.querySelector<HTMLInputElement>('input[name="export-format"]:checked')?.focus(), []);
  useEffect(
    () =>
      api.onChange((notice) => {
        if (notice.progress?.jobId === jobId) setWork((w) => (w ? { ...w, progress: notice.progress ?? null } : w));
      }),
    [jobId],
  );

  const run = async (kind: 'report' | 'archive') => {
    if (work) return;
    setWork({ kind, progress: null });
    setSaved(null);
    setError(null);
    try {
      const file =
        kind === 'report'
          ? await api.call('export.report', { incidentId, format, language, timeZone: localTimeZone(), jobId: jobId })
          : await api.call('archive.export', { incidentId, gzip });
      saveFile(file);
      setSaved(file.fileName);
    } catch (e) {
      setError(t('library.export.failed', { message: message(e) }));
    } finally {
      setWork(null);
    }
  };

  const progress = work?.progress;
  const progressText = !work
    ? null
    : progress?.stage === 'building'
      ? t('library.export.building', { done: String(progress.done), total: String(progress.total) })
      : progress?.stage === 'printing'
        ? t('library.export.printing')
        : t('library.export.working');

  return (
    <LibraryModal id="export" title={t('library.export.title')} onClose={close}>
      <form
        ref={formRef}
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('report');
        }}
      >
        <fieldset>
          <legend>{t('library.export.report')}</legend>
          <p className="muted small">{t('library.export.reportHint')}</p>
          <div className="choice-row" role="radiogroup" aria-label={t('library.export.format')}>
            <span className="label">{t('library.export.format')}</span>
            {REPORT_FORMATS.map((f) => (
              <label key={f} className="choice">
                <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
                {t(`library.export.${f}`)}
              </label>
            ))}
          </div>
          <div className="choice-row" role="radiogroup" aria-label={t('library.export.language')}>
            <span className="label">{t('library.export.language')}</span>
            {LANGUAGES.map((l) => (
              <label key={l} className="choice">
                <input type="radio" name="export-language" value={l} checked={language === l} onChange={() => setLanguage(l)} />
                {t(`language.${l}Name`)}
              </label>
            ))}
          </div>
          <button type="submit" className="primary" disabled={work !== null}>
            {t('library.export.exportReport')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('library.export.archive')}</legend>
          <p className="muted small">{t('library.export.archiveHint')}</p>
          <label className="checkbox">
            <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} />
            {t('library.export.gzip')}
          </label>
          <button type="button" disabled={work !== null} onClick={() => void run('archive')}>
            {t('library.export.exportArchive')}
          </button>
        </fieldset>
        {work && (
          <div className="export-progress" role="status">
            <span>{progressText}</span>
            <progress
              max={progress?.total || 1}
              value={progress ? (progress.stage === 'printing' ? undefined : progress.done) : undefined}
              aria-label={progressText ?? undefined}
            />
          </div>
        )}
        {saved && (
          <p className="export-saved" role="status" data-testid="export-saved">
            {t('library.export.saved', { fileName: saved })}
          </p>
        )}
        <ErrorNote text={error} />
        <div className="form-actions">
          <span className="muted small">{t('library.export.keysHint')}</span>
          <button type="button" onClick={close}>
            {t('library.export.cancel')}
          </button>
        </div>
      </form>
    </LibraryModal>
  );
}
