import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../shared/api/api.js';
import { readFileBase64 } from './library-files.js';
import { command } from '../../app/actions.js';
import { useLibraryUi } from './store.js';
import { message, refreshList } from '../incidents/view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { LibraryModal } from './LibraryModal.js';

/** Bring an incident exported from another console into this one; the core checks it whole before storing anything. */
export function LibraryImport() {
  const { t } = useTranslation();
  const close = useLibraryUi((s) => s.close);
  const [reading, setReading] = useState<string | null>(null);
  const [result, setResult] = useState<ChannelOutput<'archive.import'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chooseRef = useRef<HTMLButtonElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);

  useEffect(() => chooseRef.current?.focus(), []);
  useEffect(() => {
    if (result) openRef.current?.focus();
  }, [result]);

  const importFile = async (file: File) => {
    setReading(file.name);
    setResult(null);
    setError(null);
    try {
      const base64 = await readFileBase64(file);
      const imported = await command('archive.import', { fileName: file.name, base64 });
      await refreshList();
      setResult(imported);
    } catch (e) {
      setError(t('library.import.failed', { message: message(e) }));
    } finally {
      setReading(null);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const openIncident = () => {
    if (!result) return;
    useUi.getState().selectIncident(result.incidentId);
    close();
  };

  return (
    <LibraryModal id="import" title={t('library.import.title')} onClose={close}>
      <p className="muted">{t('library.import.lead')}</p>
      <input
        ref={fileRef}
        id="archive-file"
        className="visually-hidden"
        type="file"
        accept=".json,.gz,application/json,application/gzip"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void importFile(file);
        }}
      />
      <div className="form-actions start">
        <button ref={chooseRef} type="button" className="primary" disabled={reading !== null} onClick={() => fileRef.current?.click()}>
          {t('library.import.choose')}
        </button>
      </div>
      {reading && (
        <p role="status" className="muted">
          {t('library.import.reading', { fileName: reading })}
        </p>
      )}
      {result && (
        <div className="import-result" role="status" data-testid="import-result">
          <p>{t('library.import.done', { title: result.title, imported: String(result.imported), already: String(result.alreadyPresent) })}</p>
          <button ref={openRef} type="button" className="primary" onClick={openIncident}>
            {t('library.import.open')}
          </button>
        </div>
      )}
      <ErrorNote text={error} />
      <div className="form-actions">
        <button type="button" onClick={close}>
          {t('library.import.cancel')}
        </button>
      </div>
    </LibraryModal>
  );
}
