import { useEffect } from 'react';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Person, PersonInput } from '../../../shared/roles/roles.js';
import { api } from '../../api/client.js';
import { coalesce } from '../../api/coalesce.js';
import { message } from '../incidents/view-sync.js';

interface PeopleState {
  people: Person[];
  loaded: boolean;
  error: string | null;
}

/** The device-local people directory, for autocomplete when naming a role holder or a task owner. */
export const usePeople = create<PeopleState>()(() => ({ people: [], loaded: false, error: null }));

export const loadPeople = coalesce(async () => {
  try {
    usePeople.setState({ people: await api.call('people.list', {}), loaded: true, error: null });
  } catch (error) {
    usePeople.setState({ error: message(error) });
  }
});

/** Rejects with the ApiError (e.g. a name already in the directory) for the form to show. */
export async function savePerson(input: PersonInput): Promise<Person> {
  const person = await api.call('people.save', input);
  await loadPeople();
  return person;
}

export async function removePerson(id: string): Promise<void> {
  await api.call('people.remove', { id });
  await loadPeople();
}

/** Names in the directory, for a field's autocomplete list (e.g. task owners); loads the directory once it is used. */
export function useDirectoryNames(): string[] {
  useEffect(() => {
    void loadPeople();
  }, []);
  return usePeople(useShallow((s) => s.people.map((p) => p.name)));
}
