import { describe, expect, it } from 'vitest';
import { describeIssues } from '../api/api.js';
import { matchPeople, personKey, PersonInputSchema, type Person } from './roles.js';

const person = (name: string, team = '', contact = ''): Person => ({
  id: `00000000-0000-7000-8000-${(name.length * 7919).toString(16).padStart(12, '0')}`,
  name,
  team,
  contact,
  updatedAt: 0,
});

const refusal = (input: unknown) => {
  const parsed = PersonInputSchema.safeParse(input);
  return parsed.success ? null : describeIssues(parsed.error).message;
};

describe('people directory input', () => {
  it('trims what was typed and defaults team and contact to empty', () => {
    expect(PersonInputSchema.parse({ name: '  Ana Costa ' })).toEqual({ name: 'Ana Costa', team: '', contact: '' });
    expect(PersonInputSchema.parse({ name: 'Bo', team: ' Network ', contact: '+33 6 12 34 56 78' })).toEqual({
      name: 'Bo',
      team: 'Network',
      contact: '+33 6 12 34 56 78',
    });
  });

  it('refuses a missing or blank name, overlong fields and line breaks, saying which field and why', () => {
    expect(refusal({})).toMatch(/^name: Name must be text/);
    expect(refusal({ name: '   ' })).toBe('name: Name is required');
    expect(refusal({ name: 'x'.repeat(121) })).toBe('name: Name is at most 120 characters');
    expect(refusal({ name: 'Ana', contact: 'c'.repeat(201) })).toBe('contact: Contact is at most 200 characters');
    expect(refusal({ name: 'Ana\nDROP TABLE people' })).toBe('name: Name cannot contain line breaks or control characters');
    expect(refusal({ name: 'Ana', team: 'Ops\u0007' })).toBe('team: Team cannot contain line breaks or control characters');
    expect(refusal({ name: 'Ana', role: 'admin' })).toMatch(/Unrecognized key/);
    expect(refusal({ name: 'Ana', id: 'not-a-uuid' })).toBe('id: must be a UUID');
  });

  it('keeps names that are only unusual: accents, apostrophes, markup-looking text', () => {
    for (const name of ['Zoë O’Brien', 'Ngũgĩ wa Thiong’o', '<img src=x onerror=alert(1)>']) {
      expect(PersonInputSchema.parse({ name }).name).toBe(name);
    }
  });
});

describe('finding people as you type', () => {
  const people = [person('Ana Costa', 'Network', 'ana@example.org'), person('Bo Lind', 'Database'), person('Élodie Martin', 'Security'), person('Jonas Ana')];

  it('ranks a name that starts with the typed text first, then other matches', () => {
    expect(matchPeople(people, 'ana').map((p) => p.name)).toEqual(['Ana Costa', 'Jonas Ana']);
  });

  it('matches the team and the contact too, and every typed word', () => {
    expect(matchPeople(people, 'network').map((p) => p.name)).toEqual(['Ana Costa']);
    expect(matchPeople(people, 'example.org').map((p) => p.name)).toEqual(['Ana Costa']);
    expect(matchPeople(people, 'ana jonas').map((p) => p.name)).toEqual(['Jonas Ana']);
    expect(matchPeople(people, 'zzz')).toEqual([]);
  });

  it('offers the directory itself, capped, before anything is typed', () => {
    expect(matchPeople(people, '  ', 2)).toHaveLength(2);
  });

  it('treats case and Unicode forms of a name as the same person', () => {
    expect(personKey(' Élodie ')).toBe(personKey('e\u0301lodie'));
    expect(matchPeople(people, 'ÉLO').map((p) => p.name)).toEqual(['Élodie Martin']);
  });
});
