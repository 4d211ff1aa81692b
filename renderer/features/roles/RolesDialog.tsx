import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { SINGLE_ROLES, SME_SPECIALITIES } from '../../../shared/roles/roles.js';
import { command } from '../../app/actions.js';
import { useRolesUi } from './store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PeoplePicker } from './PeoplePicker.js';
import { Modal } from '../../ui/Modal.js';
import './Roles.css';

/**
 * Who holds which role on this incident, and naming someone: pick the role, type or pick the
 * person from the directory, Enter. Experts are a set, each with a speciality.
 */
export function RolesDialog({ incident }: { incident: IncidentView }) {
  const { t } = useTranslation();
  const { close, open } = useRolesUi.getState();
  const [role, setRole] = useState<Role>('deputy');
  const [person, setPerson] = useState('');
  const [speciality, setSpeciality] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const roleRef = useRef<HTMLSelectElement>(null);

  useEffect(() => roleRef.current?.focus(), []);

  const run = async (call: () => Promise<unknown>) => {
    if (busy) return false;
    setBusy(true);
    setError(null);
    try {
      await call();
      return true;
    } catch (e) {
      setError(t('roles.failed', { message: message(e) }));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = person.trim();
    if (!name) {
      setError(t('roles.personRequired'));
      return;
    }
    const done = await run(() =>
      role === 'sme'
        ? command('incident.setSme', { incidentId: incident.id, person: name, speciality, active: true })
        : command('incident.assignRole', { incidentId: incident.id, role, person: name }),
    );
    if (done) {
      setPerson('');
      setSpeciality('');
      roleRef.current?.focus();
    }
  };

  return (
    <Modal id="roles" title={t('roles.title')} className="roles-dialog roles-panel" onClose={close}>
      <dl className="role-list">
        {SINGLE_ROLES.map((r) => (
          <div key={r} data-role={r}>
            <dt>{t(`role.${r}`)}</dt>
            <dd className={incident.roles[r] ? undefined : 'muted'}>{incident.roles[r] ?? t('roles.unassigned')}</dd>
          </div>
        ))}
        <div data-role="sme">
          <dt>{t('roles.smes')}</dt>
          <dd>
            {incident.smes.length === 0 ? (
              <span className="muted">{t('roles.noSme')}</span>
            ) : (
              <ul className="sme-list">
                {incident.smes.map((s) => (
                  <li key={s.person} data-sme={s.person}>
                    <span>{s.speciality ? t('roles.smeWith', { person: s.person, speciality: s.speciality }) : s.person}</span>
                    <button
                      type="button"
                      className="link"
                      aria-label={t('roles.removeSmeLabel', { person: s.person })}
                      onClick={() => void run(() => command('incident.setSme', { incidentId: incident.id, person: s.person, speciality: '', active: false }))}
                    >
                      {t('roles.removeSme')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>

      <form className="assign-form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="assign-role">{t('roles.role')}</label>
        <label htmlFor="assign-person">{t('roles.person')}</label>
        <label htmlFor="assign-speciality" className={role === 'sme' ? undefined : 'hidden-cell'}>
          {t('roles.speciality')}
        </label>
        <span />
        <select id="assign-role" ref={roleRef} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {[...SINGLE_ROLES, 'sme' as const].map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <PeoplePicker
          id="assign-person"
          value={person}
          onChange={setPerson}
          placeholder={t('roles.personPlaceholder')}
          describedBy={error ? 'roles-error' : 'roles-hint'}
          invalid={error !== null && !person.trim()}
        />
        {role === 'sme' ? (
          <>
            <input
              id="assign-speciality"
              type="text"
              list="sme-specialities"
              autoComplete="off"
              value={speciality}
              placeholder={t('roles.specialityPlaceholder')}
              onChange={(e) => setSpeciality(e.target.value)}
            />
            <datalist id="sme-specialities">
              {SME_SPECIALITIES.map((s) => (
                <option key={s} value={t(`speciality.${s}`)} />
              ))}
            </datalist>
          </>
        ) : (
          <span className="hidden-cell" />
        )}
        <button type="submit" className="primary" disabled={busy}>
          {role === 'sme' ? t('roles.addSme') : t('roles.assign')}
        </button>
      </form>
      <ErrorNote id="roles-error" text={error} />
      <p className="hint" id="roles-hint">
        {t('roles.keysHint')}
      </p>
      <div className="form-actions">
        <button type="button" onClick={() => open(incident.pendingHandoffId ? 'acknowledge' : 'handoff')}>
          {incident.pendingHandoffId ? t('roles.toAcknowledge') : t('roles.toHandoff')}
        </button>
        <button type="button" onClick={() => open('people')}>
          {t('roles.toPeople')}
        </button>
        <button type="button" onClick={close}>
          {t('roles.close')}
        </button>
      </div>
    </Modal>
  );
}
