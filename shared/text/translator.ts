import i18next from 'i18next';

/**
 * The one translation mechanism outside the console's React tree: an i18next instance of its own
 * over a catalogue, for text made where no window exists (the report built in the core, the
 * console's and the hub's command lines, the hub's status page). The console itself uses
 * i18next through react-i18next (renderer/i18n); both write `{{name}}` for a value.
 */
export interface Catalogue {
  readonly [key: string]: string | Catalogue;
}

/** A key without i18next's plural suffix: `hidden_one` and `hidden_other` are asked for as `hidden` with a count. */
type Singular<K extends string> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? Base : K;

/** Every key of a catalogue, nested ones as i18next writes them (`sections.summary`). */
export type KeyOf<T> = { [K in keyof T & string]: T[K] extends string ? Singular<K> : `${K}.${KeyOf<T[K]>}` }[keyof T & string];

/** The shape another language must give: the same keys, any words. */
export type Words<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Words<T[K]> };

export type Values = Record<string, string | number>;
export type Translator<T> = (key: KeyOf<T>, values?: Values) => string;

/**
 * A translator over `catalogue` in `language`. Values are put in as they are: what is made here
 * is plain text, or is escaped where it becomes markup (html``, md``), so escaping here would
 * escape twice.
 */
export function translator<T extends Catalogue>(catalogue: T, language: string): Translator<T> {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { [language]: { translation: catalogue } },
    lng: language,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    // i18next would print it to stdout, where `hub token create` prints a token for scripts to read.
    showSupportNotice: false,
  });
  // The renderer's module augmentation types i18next's `t` to the console's catalogue for the
  // whole program; this instance has its own, typed by KeyOf<T> instead.
  const t = instance.t.bind(instance) as unknown as (key: string, values?: Values) => string;
  return (key, values) => t(key, values);
}

/** A language from the usual POSIX variables (fr_FR.UTF-8 → fr); anything not French is English. */
export function languageFromEnv(env: Readonly<Record<string, string | undefined>>): 'en' | 'fr' {
  const tag = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return tag.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
