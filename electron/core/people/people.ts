import type { Database, Statement } from 'better-sqlite3';
import { newId } from '../ids/new-id.js';
import { refuse } from '../../../shared/api/api.js';
import { personKey, type Person } from '../../../shared/roles/roles.js';

interface PersonRow {
  id: string;
  name: string;
  team: string;
  contact: string;
  updated_at: number;
}

const toPerson = (r: PersonRow): Person => ({ id: r.id, name: r.name, team: r.team, contact: r.contact, updatedAt: r.updated_at });

/** Validated input of people.save (PersonInputSchema has already trimmed and bounded it). */
export interface PersonFields {
  id?: string | undefined;
  name: string;
  team: string;
  contact: string;
}

/** The device-local people directory (migration 006). Never written to the event log. */
export class PeopleDirectory {
  private readonly stmts: {
    list: Statement<[], PersonRow>;
    get: Statement<[string], PersonRow>;
    byKey: Statement<[string], PersonRow>;
    upsert: Statement<[Record<string, string | number>]>;
    remove: Statement<[string]>;
  };

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.stmts = {
      list: db.prepare('SELECT id, name, team, contact, updated_at FROM people ORDER BY name_key, id'),
      get: db.prepare('SELECT id, name, team, contact, updated_at FROM people WHERE id = ?'),
      byKey: db.prepare('SELECT id, name, team, contact, updated_at FROM people WHERE name_key = ?'),
      upsert: db.prepare(
        `INSERT INTO people (id, name, name_key, team, contact, updated_at) VALUES (@id, @name, @nameKey, @team, @contact, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, team = excluded.team,
           contact = excluded.contact, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare('DELETE FROM people WHERE id = ?'),
    };
  }

  list(): Person[] {
    return this.stmts.list.all().map(toPerson);
  }

  save(input: PersonFields): Person {
    const nameKey = personKey(input.name);
    if (input.id && !this.stmts.get.get(input.id)) throw refuse('not_found', 'no_person', `No person with id ${input.id} in the directory.`);
    const sameName = this.stmts.byKey.get(nameKey);
    // One entry per person, so picking a name for a role never has to choose between two.
    if (sameName && sameName.id !== input.id) {
      throw refuse('conflict', 'person_exists', `${sameName.name} is already in the directory: edit that entry instead.`, { person: sameName.name });
    }
    const person: Person = { id: input.id ?? newId(), name: input.name, team: input.team, contact: input.contact, updatedAt: this.now() };
    this.stmts.upsert.run({ id: person.id, name: person.name, nameKey, team: person.team, contact: person.contact, updatedAt: person.updatedAt });
    return person;
  }

  remove(id: string): { id: string } {
    if (this.stmts.remove.run(id).changes === 0) throw refuse('not_found', 'no_person', `No person with id ${id} in the directory.`);
    return { id };
  }
}
