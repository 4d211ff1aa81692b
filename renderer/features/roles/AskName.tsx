import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { LanguageSwitch } from '../../ui/LanguageSwitch.js';

/**
 * First launch on this device: who is typing? Every entry of the record carries its author, so
 * the name is asked before anything can be recorded, in an empty field (never pre-filled with
 * the OS user's name, which typing would have been appended to).
 */
export function AskName() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setError(t('record.askName.empty'));
    setBusy(true);
    setError(null);
    try {
      const info = await command('settings.setActor', { actor: name.trim() });
      useIncidents.setState({ info });
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };

  return (
    <main className="welcome">
      <div className="welcome-top">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </div>
      <form className="welcome-card ask-name" onSubmit={(e) => void submit(e)} aria-labelledby="ask-name-title">
        <h1 id="ask-name-title">{t('record.askName.title')}</h1>
        <p className="lead">{t('record.askName.lead')}</p>
        <label htmlFor="ask-name-input">{t('record.askName.label')}</label>
        <input
          id="ask-name-input"
          type="text"
          autoFocus
          autoComplete="name"
          value={name}
          maxLength={120}
          placeholder={t('record.askName.placeholder')}
          aria-describedby={error ? 'ask-name-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            if (error) setError(null);
          }}
        />
        <ErrorNote id="ask-name-error" text={error} />
        <div className="welcome-actions">
          <button type="submit" className="primary big" disabled={busy}>
            {t('record.askName.save')}
          </button>
        </div>
        <p className="muted">{t('record.askName.hint')}</p>
      </form>
    </main>
  );
}
