import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../../shared/roles/roles.js';
import { useIncidents } from '../incidents/store.js';
import { loadPeople, removePerson, savePerson, usePeople } from './people-store.js';
import { useRolesUi } from './store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { Modal } from '../../ui/Modal.js';
import './Roles.css';

const blank = { name: '', team: '', contact: '' };

/** The people directory: kept on this device only, used to name role holders and task owners quickly. */
export function PeopleDialog() {
  const { t } = useTranslation();
  const close = useRolesUi((s) => s.close);
  const open = useRolesUi((s) => s.open);
  const hasIncident = useIncidents((s) => s.current !== null);
  const people = usePeople((s) => s.people);
  const loadError = usePeople((s) => s.error);
  const [fields, setFields] = useState(blank);
  const [editing, setEditing] = useState<Person | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadPeople();
    nameRef.current?.focus();
  }, []);

  const startEdit = (person: Person) => {
    setEditing(person);
    setFields({ name: person.name, team: person.team, contact: person.contact });
    setError(null);
    nameRef.current?.focus();
  };

  const reset = () => {
    setEditing(null);
    setFields(blank);
    setError(null);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await savePerson({ ...fields, ...(editing && { id: editing.id }) });
      reset();
      nameRef.current?.focus();
    } catch (e) {
      setError(t('people.failed', { message: message(e) }));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (person: Person) => {
    setError(null);
    try {
      await removePerson(person.id);
      setConfirming(null);
      if (editing?.id === person.id) reset();
      nameRef.current?.focus();
    } catch (e) {
      setError(t('people.failed', { message: message(e) }));
    }
  };

  const field = (key: keyof typeof blank, label: string, placeholder: string) => (
    <label className="people-field">
      <span>{label}</span>
      <input
        ref={key === 'name' ? nameRef : undefined}
        id={`person-${key}`}
        type="text"
        autoComplete="off"
        value={fields[key]}
        placeholder={placeholder}
        aria-describedby={error ? 'people-error' : undefined}
        onChange={(e) => setFields((f) => ({ ...f, [key]: e.target.value }))}
      />
    </label>
  );

  return (
    <Modal id="people" title={t('people.title')} className="roles-dialog people-dialog" onClose={close}>
      <p className="muted">{t('people.local')}</p>
      <form className="people-form" onSubmit={(e) => void submit(e)} noValidate>
        {field('name', t('people.name'), t('people.namePlaceholder'))}
        {field('team', t('people.team'), t('people.teamPlaceholder'))}
        {field('contact', t('people.contact'), t('people.contactPlaceholder'))}
        <div className="people-form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {editing ? t('people.saveChanges') : t('people.add')}
          </button>
          {editing && (
            <button type="button" onClick={reset}>
              {t('people.cancelEdit')}
            </button>
          )}
        </div>
      </form>
      <ErrorNote id="people-error" text={error ?? (loadError ? t('people.loadFailed', { message: loadError }) : null)} />
      <p className="hint">{t('people.keysHint')}</p>
      {people.length === 0 ? (
        <p className="empty">{t('people.empty')}</p>
      ) : (
        <ul className="people-list" aria-label={t('people.listLabel', { count: people.length })}>
          {people.map((person) => (
            <li key={person.id} className="people-row" data-person={person.name}>
              <span className="person-name">{person.name}</span>
              <span className="person-meta">{[person.team, person.contact].filter(Boolean).join(' · ')}</span>
              {confirming === person.id ? (
                <span className="row-actions">
                  <button type="button" className="danger" autoFocus onClick={() => void remove(person)}>
                    {t('people.confirmRemove', { name: person.name })}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('people.keep')}
                  </button>
                </span>
              ) : (
                <span className="row-actions">
                  <button type="button" aria-label={t('people.editLabel', { name: person.name })} onClick={() => startEdit(person)}>
                    {t('people.edit')}
                  </button>
                  <button type="button" aria-label={t('people.removeLabel', { name: person.name })} onClick={() => setConfirming(person.id)}>
                    {t('people.remove')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        {hasIncident && (
          <button type="button" onClick={() => open('roles')}>
            {t('people.toRoles')}
          </button>
        )}
        <button type="button" onClick={close}>
          {t('people.close')}
        </button>
      </div>
    </Modal>
  );
}
