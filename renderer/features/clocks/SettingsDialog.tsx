import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelInput } from '../../../shared/api/api.js';
import { PRIORITIES, type Priority } from '../../../shared/incidents/priority.js';
import { durationInput, parseDurationInput } from './duration-text.js';
import { command } from '../../app/actions.js';
import { message } from '../incidents/view-sync.js';
import { refreshSettings, useTeamSettings, type TeamSettingsView } from './store.js';
import { audienceLabel } from '../timeline/timeline-text.js';
import { Modal } from '../../ui/Modal.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

const CADENCE_FIELDS = ['firstMs', 'everyMs', 'longEveryMs', 'longAfterMs'] as const;
type CadenceField = (typeof CADENCE_FIELDS)[number];

/** The form as typed: durations stay text until saved, so a half-typed "1h3" is not lost or rewritten. */
interface Form {
  sla: Record<Priority, { responseMs: string; resolutionMs: string; pausable: boolean }>;
  audiences: { name: string; builtin: boolean; active: boolean; cadence: Record<CadenceField, string> }[];
  callout: { everyMs: string; stalledAfterMs: string };
}

function toForm(settings: TeamSettingsView, day: string): Form {
  return {
    sla: Object.fromEntries(
      PRIORITIES.map((p) => {
        const target = settings.slaPolicy[p];
        return [p, { responseMs: durationInput(target.responseMs, day), resolutionMs: durationInput(target.resolutionMs, day), pausable: target.pausable }];
      }),
    ) as Form['sla'],
    audiences: settings.audiences.map((a) => ({
      name: a.name,
      builtin: a.builtin,
      active: a.active,
      cadence: Object.fromEntries(CADENCE_FIELDS.map((f) => [f, durationInput(a[f], day)])) as Record<CadenceField, string>,
    })),
    callout: { everyMs: durationInput(settings.callout.everyMs, day), stalledAfterMs: durationInput(settings.callout.stalledAfterMs, day) },
  };
}

type Command =
  | { channel: 'settings.setSla'; input: ChannelInput<'settings.setSla'> }
  | { channel: 'settings.setAudience'; input: ChannelInput<'settings.setAudience'> }
  | { channel: 'settings.setCallout'; input: ChannelInput<'settings.setCallout'> };

/**
 * The commands that turn the saved settings into the form: only the fields that differ, so an
 * unrelated change from another laptop is never overwritten by a stale copy of it.
 */
interface FieldError {
  kind: 'bad' | 'required';
  field: string;
  value: string;
}

function diff(settings: TeamSettingsView, form: Form, fieldName: (key: string) => string): { commands: Command[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const commands: Command[] = [];
  const read = (text: string, label: string, required: boolean): number | null | undefined => {
    const ms = parseDurationInput(text);
    if (ms === undefined) errors.push({ kind: 'bad', field: label, value: text });
    else if (ms === null && required) errors.push({ kind: 'required', field: label, value: text });
    return ms;
  };
  for (const p of PRIORITIES) {
    const was = settings.slaPolicy[p];
    const row = form.sla[p];
    const input: ChannelInput<'settings.setSla'> = { priority: p };
    const responseMs = read(row.responseMs, `${p} · ${fieldName('response')}`, false);
    const resolutionMs = read(row.resolutionMs, `${p} · ${fieldName('resolution')}`, false);
    if (responseMs !== undefined && responseMs !== was.responseMs) input.responseMs = responseMs;
    if (resolutionMs !== undefined && resolutionMs !== was.resolutionMs) input.resolutionMs = resolutionMs;
    if (row.pausable !== was.pausable) input.pausable = row.pausable;
    if (Object.keys(input).length > 1) commands.push({ channel: 'settings.setSla', input });
  }
  for (const row of form.audiences) {
    const was = settings.audiences.find((a) => a.name === row.name);
    const input: ChannelInput<'settings.setAudience'> = { audience: row.name };
    for (const f of CADENCE_FIELDS) {
      const ms = read(row.cadence[f], `${row.name} · ${fieldName(fieldKey(f))}`, f === 'longAfterMs');
      if (ms !== undefined && (!was || ms !== was[f])) Object.assign(input, { [f]: ms });
    }
    if (!was || row.active !== was.active) input.active = row.active;
    if (Object.keys(input).length > 1) commands.push({ channel: 'settings.setAudience', input });
  }
  const everyMs = read(form.callout.everyMs, fieldName('calloutEvery'), false);
  const stalledAfterMs = read(form.callout.stalledAfterMs, fieldName('calloutStalled'), true);
  const callout: ChannelInput<'settings.setCallout'> = {};
  if (everyMs !== undefined && everyMs !== settings.callout.everyMs) callout.everyMs = everyMs;
  if (typeof stalledAfterMs === 'number' && stalledAfterMs !== settings.callout.stalledAfterMs) callout.stalledAfterMs = stalledAfterMs;
  if (Object.keys(callout).length) commands.push({ channel: 'settings.setCallout', input: callout });
  return { commands, errors };
}

const close = () => useTeamSettings.getState().setDialog(null);

/** SLA policy, audiences with their cadence, and the deputy call-out: the team's settings, stored as events. */
export function SettingsDialog() {
  const { t } = useTranslation();
  const settings = useTeamSettings((s) => s.settings);
  const loadError = useTeamSettings((s) => s.error);
  const day = t('units.inputDays');
  const [form, setForm] = useState<Form | null>(() => (settings ? toForm(settings, day) : null));
  const [newAudience, setNewAudience] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!settings) void refreshSettings();
    else setForm((f) => f ?? toForm(settings, day));
  }, [settings, day]);
  const loaded = form !== null;
  useEffect(() => first.current?.focus(), [loaded]);

  const fieldName = (key: string) => t(`teamSettings.${key as 'response'}`);
  const describe = ({ kind, field, value }: FieldError) =>
    kind === 'bad' ? t('teamSettings.badDuration', { field, value }) : t('teamSettings.required', { field });

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!settings || !form || busy) return;
    const { commands, errors: found } = diff(settings, form, fieldName);
    setErrors(found.map(describe));
    setStatus(null);
    if (found.length) return;
    if (!commands.length) {
      setStatus(t('teamSettings.unchanged'));
      return;
    }
    setBusy(true);
    try {
      for (const c of commands) await command(c.channel, c.input as never);
      await refreshSettings();
      setStatus(t('teamSettings.saved'));
    } catch (e) {
      setErrors([t('teamSettings.failed', { message: message(e) })]);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  };

  const addAudience = () => {
    const name = newAudience.trim();
    if (!form || !name) return;
    if (form.audiences.some((a) => a.name.toLowerCase() === name.toLowerCase())) {
      setErrors([t('teamSettings.duplicateAudience', { name })]);
      return;
    }
    const base = form.audiences.find((a) => a.name === 'internal') ?? form.audiences[0]!;
    setForm({ ...form, audiences: [...form.audiences, { name, builtin: false, active: true, cadence: { ...base.cadence } }] });
    setNewAudience('');
    setErrors([]);
  };

  const setSla = (p: Priority, patch: Partial<Form['sla'][Priority]>) => form && setForm({ ...form, sla: { ...form.sla, [p]: { ...form.sla[p], ...patch } } });
  const setAudience = (i: number, patch: Partial<Form['audiences'][number]>) =>
    form && setForm({ ...form, audiences: form.audiences.map((a, j) => (j === i ? { ...a, ...patch } : a)) });

  return (
    <Modal id="team-settings" className="clocks-dialog team-settings" onClose={close}>
      <form onSubmit={(e) => void save(e)} onKeyDown={onKeyDown}>
        <h2 id="team-settings-heading">{t('teamSettings.title')}</h2>
        <p className="muted">{t('teamSettings.intro')}</p>
        {!form ? (
          <ErrorNote text={loadError} />
        ) : (
          <>
            <fieldset>
              <legend>{t('teamSettings.slaHeading')}</legend>
              <table className="settings-table">
                <thead>
                  <tr>
                    <th scope="col">{t('teamSettings.priority')}</th>
                    <th scope="col">{t('teamSettings.response')}</th>
                    <th scope="col">{t('teamSettings.resolution')}</th>
                    <th scope="col">{t('teamSettings.pausable')}</th>
                  </tr>
                </thead>
                <tbody>
                  {PRIORITIES.map((p, i) => (
                    <tr key={p} data-priority={p}>
                      <th scope="row">{p}</th>
                      <td>
                        <input
                          ref={i === 0 ? first : undefined}
                          aria-label={`${p} · ${t('teamSettings.response')}`}
                          value={form.sla[p].responseMs}
                          onChange={(e) => setSla(p, { responseMs: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={`${p} · ${t('teamSettings.resolution')}`}
                          value={form.sla[p].resolutionMs}
                          onChange={(e) => setSla(p, { resolutionMs: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`${p} · ${t('teamSettings.pausable')}`}
                          checked={form.sla[p].pausable}
                          onChange={(e) => setSla(p, { pausable: e.target.checked })}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="hint">{t('teamSettings.durationHint')}</p>
            </fieldset>
            <fieldset>
              <legend>{t('teamSettings.audiencesHeading')}</legend>
              <table className="settings-table">
                <thead>
                  <tr>
                    <th scope="col">{t('teamSettings.audience')}</th>
                    <th scope="col">{t('teamSettings.active')}</th>
                    {CADENCE_FIELDS.map((f) => (
                      <th scope="col" key={f}>
                        {t(`teamSettings.${fieldKey(f)}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {form.audiences.map((a, i) => {
                    const label = audienceLabel(a.name, t);
                    return (
                      <tr key={a.name} data-audience={a.name}>
                        <th scope="row">{label}</th>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`${label} · ${t('teamSettings.active')}`}
                            checked={a.active}
                            onChange={(e) => setAudience(i, { active: e.target.checked })}
                          />
                        </td>
                        {CADENCE_FIELDS.map((f) => (
                          <td key={f}>
                            <input
                              aria-label={`${label} · ${t(`teamSettings.${fieldKey(f)}`)}`}
                              value={a.cadence[f]}
                              onChange={(e) => setAudience(i, { cadence: { ...a.cadence, [f]: e.target.value } })}
                            />
                          </td>
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p className="hint">{t('teamSettings.cadenceHint')}</p>
              <div className="inline-add">
                <input
                  aria-label={t('teamSettings.addAudience')}
                  placeholder={t('teamSettings.addAudiencePlaceholder')}
                  value={newAudience}
                  maxLength={120}
                  onChange={(e) => setNewAudience(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
                      e.preventDefault();
                      addAudience();
                    }
                  }}
                />
                <button type="button" onClick={addAudience}>
                  {t('teamSettings.add')}
                </button>
              </div>
            </fieldset>
            <fieldset>
              <legend>{t('teamSettings.calloutHeading')}</legend>
              <div className="inline-fields">
                <label>
                  <span className="label">{t('teamSettings.calloutEvery')}</span>
                  <input value={form.callout.everyMs} onChange={(e) => setForm({ ...form, callout: { ...form.callout, everyMs: e.target.value } })} />
                </label>
                <label>
                  <span className="label">{t('teamSettings.calloutStalled')}</span>
                  <input
                    value={form.callout.stalledAfterMs}
                    onChange={(e) => setForm({ ...form, callout: { ...form.callout, stalledAfterMs: e.target.value } })}
                  />
                </label>
              </div>
              <p className="hint">{t('teamSettings.calloutHint')}</p>
            </fieldset>
          </>
        )}
        {errors.map((e) => (
          <ErrorNote key={e} text={e} />
        ))}
        {status && (
          <p className="status-note" role="status">
            {status}
          </p>
        )}
        <div className="form-actions">
          <span className="hint">{t('teamSettings.keysHint')}</span>
          <button type="button" onClick={close}>
            {t('teamSettings.close')}
          </button>
          <button type="submit" className="primary" disabled={busy || !form}>
            {busy ? t('teamSettings.saving') : t('teamSettings.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function fieldKey(f: CadenceField): 'first' | 'every' | 'longEvery' | 'longAfter' {
  return f === 'firstMs' ? 'first' : f === 'everyMs' ? 'every' : f === 'longEveryMs' ? 'longEvery' : 'longAfter';
}
