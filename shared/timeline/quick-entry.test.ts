import { describe, expect, it } from 'vitest';
import { parseQuickEntry, pendingKind, QUICK_COMMANDS, suggestCommands } from './quick-entry.js';

const MIN = 60_000;
const command = (input: string) => {
  const result = parseQuickEntry(input);
  if (!result.ok) throw new Error(`expected a command from ${JSON.stringify(input)}, got ${JSON.stringify(result.error)}`);
  return result.command;
};
const error = (input: string) => {
  const result = parseQuickEntry(input);
  if (result.ok) throw new Error(`expected an error from ${JSON.stringify(input)}, got ${JSON.stringify(result.command)}`);
  return result.error;
};

describe('parseQuickEntry: logging', () => {
  it('logs plain text as a note, typed as is', () => {
    expect(command('  customer calls rising ')).toEqual({ type: 'log', entryKind: 'note', text: 'customer calls rising' });
    expect(command('see /var/log')).toEqual({ type: 'log', entryKind: 'note', text: 'see /var/log' });
  });

  it.each([
    ['/note plain', 'note', 'plain'],
    ['/decision Roll back to v41', 'decision', 'Roll back to v41'],
    ['/action restart pods', 'action', 'restart pods'],
    ['/finding  DB at 100% CPU ', 'finding', 'DB at 100% CPU'],
    ['/Hypothesis cache stampede', 'hypothesis', 'cache stampede'],
    ['/external Monitoring: 5xx > 50%', 'external', 'Monitoring: 5xx > 50%'],
    ['/alert Customer on the phone', 'external', 'Customer on the phone'],
    ['/note /var/log is full', 'note', '/var/log is full'],
  ])('%s', (input, entryKind, text) => expect(command(input)).toEqual({ type: 'log', entryKind, text }));

  it('keeps line breaks inside the text', () => {
    expect(command('/finding line one\nline two')).toEqual({ type: 'log', entryKind: 'finding', text: 'line one\nline two' });
  });

  it('refuses an empty entry and a kind without text', () => {
    expect(error('   ')).toEqual({ code: 'empty' });
    expect(error('/decision')).toEqual({ code: 'missingText', command: 'decision' });
    expect(error('/decision   ')).toEqual({ code: 'missingText', command: 'decision' });
  });

  it('refuses an unknown command by name rather than logging it as a note', () => {
    expect(error('/deploy v42')).toEqual({ code: 'unknownCommand', command: '/deploy' });
    expect(error('/decisions are hard')).toEqual({ code: 'unknownCommand', command: '/decisions' });
    expect(error('/')).toEqual({ code: 'unknownCommand', command: '/' });
  });
});

describe('parseQuickEntry: actions', () => {
  it('/task with an owner and a check-back delay, in either order', () => {
    const task = (title: string, owner: string, checkBack: unknown) => ({ type: 'task', title, owner, checkBack });
    expect(command('/task Check the ledger @bo 5m')).toEqual(task('Check the ledger', 'bo', { type: 'in', ms: 5 * MIN }));
    expect(command('/task Check the ledger 1h30m @Ana')).toEqual(task('Check the ledger', 'Ana', { type: 'in', ms: 90 * MIN }));
    expect(command('/task Call the supplier')).toEqual(task('Call the supplier', '', null));
    expect(command('/task Call the supplier 10m')).toEqual(task('Call the supplier', '', { type: 'in', ms: 10 * MIN }));
    expect(command('/task Ping @carl about it')).toEqual(task('Ping @carl about it', '', null));
    expect(command('/task Back at @dana 14:32')).toEqual(task('Back at', 'dana', { type: 'at', clock: '14:32' }));
    expect(error('/task @bo 5m')).toEqual({ code: 'missingText', command: 'task' });
  });

  it('/task reads the delay after the owner as the task field and the settings do (one grammar)', () => {
    // A bare number is minutes everywhere ("back to me in 5").
    expect(command('/task Check DNS @ana 5')).toMatchObject({ owner: 'ana', checkBack: { type: 'in', ms: 5 * MIN } });
    expect(command('/task Check DNS @ana 1h30m')).toMatchObject({ owner: 'ana', checkBack: { type: 'in', ms: 90 * MIN } });
    // As in the task field, "14h32" (and so "1h30") after the owner is the French way of writing a clock time.
    expect(command('/task Check DNS @ana 14h32')).toMatchObject({ owner: 'ana', checkBack: { type: 'at', clock: '14h32' } });
    expect(command('/task Check DNS @ana 2j')).toMatchObject({ owner: 'ana', checkBack: { type: 'in', ms: 2 * 24 * 60 * MIN } });
    // Before the owner a number needs its unit: "Scale to 3" is a title.
    expect(command('/task Scale to 3 @ana')).toEqual({ type: 'task', title: 'Scale to 3', owner: 'ana', checkBack: null });
  });

  it('/task refuses an owner or a time it cannot read, instead of keeping it in the title', () => {
    expect(error('/task Ping DNS @Gus -5x')).toEqual({ code: 'badCheckBack', value: '-5x' });
    expect(error('/task Ping DNS @Gus 25:99')).toEqual({ code: 'badCheckBack', value: '25:99' });
    expect(error('/task Ping DNS @Gus 5x')).toEqual({ code: 'badCheckBack', value: '5x' });
    expect(error('/task Ping DNS @Gus 0m')).toEqual({ code: 'badCheckBack', value: '0m' });
    expect(error('/task Ping DNS @')).toEqual({ code: 'badOwner' });
    expect(error('/task Ping DNS @ 5m')).toEqual({ code: 'badOwner' });
  });

  it('/status in English or in French', () => {
    expect(command('/status mitigated')).toEqual({ type: 'status', status: 'mitigated' });
    expect(command('/status Atténué')).toEqual({ type: 'status', status: 'mitigated' });
    expect(command('/status résolu')).toEqual({ type: 'status', status: 'resolved' });
    expect(command('/status en analyse')).toEqual({ type: 'status', status: 'investigating' });
    expect(error('/status fixed')).toEqual({ code: 'badStatus', value: 'fixed' });
    expect(error('/status')).toEqual({ code: 'badStatus', value: '' });
  });

  it('French command names, with or without accents, do what the English ones do', () => {
    expect(command('/statut atténué')).toEqual({ type: 'status', status: 'mitigated' });
    expect(command('/Tâche Appeler le fournisseur @Bo 5m')).toEqual(command('/task Appeler le fournisseur @Bo 5m'));
    expect(command('/tache Appeler le fournisseur')).toEqual(command('/task Appeler le fournisseur'));
    expect(command('/priorité haute basse')).toEqual(command('/priority high low'));
    expect(command('/hypothèse le DNS')).toEqual({ type: 'log', entryKind: 'hypothesis', text: 'le DNS' });
    expect(command('/constat 60 % d’erreurs')).toEqual({ type: 'log', entryKind: 'finding', text: '60 % d’erreurs' });
    expect(command('/point clients')).toEqual(command('/update customers'));
    expect(command('/suspendre attente fournisseur')).toEqual({ type: 'pause', reason: 'attente fournisseur' });
    expect(command('/reprendre')).toEqual({ type: 'resume' });
    expect(pendingKind('/hypothèse')).toBe('hypothesis');
    // Alias lookup is by own name only: nothing inherited from Object.prototype is a command.
    expect(error('/constructor x')).toEqual({ code: 'unknownCommand', command: '/constructor' });
  });

  it('/priority as impact then urgency, or as a priority', () => {
    expect(command('/priority high high')).toEqual({ type: 'priority', impact: 'high', urgency: 'high' });
    expect(command('/priority h l')).toEqual({ type: 'priority', impact: 'high', urgency: 'low' });
    expect(command('/priority moyenne basse')).toEqual({ type: 'priority', impact: 'medium', urgency: 'low' });
    expect(command('/priority P2')).toEqual({ type: 'priority', impact: 'high', urgency: 'medium' });
    expect(error('/priority high')).toEqual({ code: 'badLevel', value: 'high' });
    expect(error('/priority high urgent')).toEqual({ code: 'badLevel', value: 'urgent' });
  });

  it('/role with a role word and a name', () => {
    expect(command('/role scribe Chloé Martin')).toEqual({ type: 'role', role: 'scribe', person: 'Chloé Martin' });
    expect(command('/role comms @Bo')).toEqual({ type: 'role', role: 'comms_lead', person: 'Bo' });
    expect(command('/role adjoint Dmitri')).toEqual({ type: 'role', role: 'deputy', person: 'Dmitri' });
    expect(command('/role ops_lead Eve')).toEqual({ type: 'role', role: 'ops_lead', person: 'Eve' });
    expect(error('/role janitor Bo')).toEqual({ code: 'badRole', value: 'janitor' });
    expect(error('/role scribe')).toEqual({ code: 'missingPerson' });
  });

  it('/update names an audience, known or new', () => {
    expect(command('/update customers')).toEqual({ type: 'update', audience: 'customers' });
    expect(command('/update Clients')).toEqual({ type: 'update', audience: 'customers' });
    expect(command('/update regulators')).toEqual({ type: 'update', audience: 'regulators' });
    expect(error('/update')).toEqual({ code: 'missingAudience' });
  });

  it('/pause needs a reason; /resume does not', () => {
    expect(command('/pause waiting on the supplier')).toEqual({ type: 'pause', reason: 'waiting on the supplier' });
    expect(error('/pause')).toEqual({ code: 'missingText', command: 'pause' });
    expect(command('/resume')).toEqual({ type: 'resume' });
  });
});

describe('pendingKind and suggestCommands', () => {
  it('says which kind of entry Enter will log', () => {
    expect(pendingKind('hello')).toBe('note');
    expect(pendingKind('/decision x')).toBe('decision');
    expect(pendingKind('/alert x')).toBe('external');
    expect(pendingKind('/status mitigated')).toBeNull();
  });

  it('offers every command on "/" and narrows as the word is typed', () => {
    expect(suggestCommands('/')).toEqual([...QUICK_COMMANDS]);
    expect(suggestCommands('/d')).toEqual(['decision']);
    expect(suggestCommands('/P')).toEqual(['priority', 'pause']);
    expect(suggestCommands('/decision')).toEqual([]);
    expect(suggestCommands('/decision Roll')).toEqual([]);
    expect(suggestCommands('note')).toEqual([]);
  });
});
