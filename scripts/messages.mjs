/**
 * What the plain-JavaScript scripts (npm start, the Node version check) say, in English and
 * French, through i18next like everything else (`{{name}}` values). They run before any build,
 * on plain Node, so they cannot load shared/text/translator.ts (TypeScript); this is the same
 * mechanism in the only form they can run.
 */
import i18next from 'i18next';

const CATALOGUE = {
  en: {
    fetchingElectron: 'Fetching Electron (first start only)… ',
    electronUnreachable: 'not reachable from here; starting browser mode instead.',
    electronFetched: 'done.',
    electronMissing: 'Electron is not installed on this machine; starting browser mode instead.',
    nativeBuildFailed: 'Could not build better-sqlite3 for Electron {{version}}.',
    nodeTooOld: 'Warroom: {{what}} needs Node {{version}} or later; this is Node {{actual}}. Install a newer Node (https://nodejs.org) and run again.',
    task: {
      app: 'browser mode, the hub, the build and the tests',
      packaging: 'packaging the desktop app (Electron tooling: @electron/rebuild, @electron/get)',
    },
  },
  fr: {
    fetchingElectron: 'Téléchargement d’Electron (premier démarrage seulement)… ',
    electronUnreachable: 'inaccessible d’ici ; démarrage en mode navigateur.',
    electronFetched: 'terminé.',
    electronMissing: 'Electron n’est pas installé sur cette machine ; démarrage en mode navigateur.',
    nativeBuildFailed: 'Impossible de construire better-sqlite3 pour Electron {{version}}.',
    nodeTooOld:
      'Warroom : {{what}} demande Node {{version}} ou plus récent ; celui-ci est Node {{actual}}. Installez un Node plus récent (https://nodejs.org) et relancez.',
    task: {
      app: 'le mode navigateur, le hub, la construction et les tests',
      packaging: 'l’empaquetage de l’application de bureau (outils Electron : @electron/rebuild, @electron/get)',
    },
  },
};

/** The language from the usual POSIX variables (fr_FR.UTF-8 → fr); anything not French is English. */
export function scriptLanguage(env = process.env) {
  return /^fr/i.test(env.LC_ALL || env.LC_MESSAGES || env.LANG || '') ? 'fr' : 'en';
}

/** A translator in `language` over the scripts' catalogue. */
export function scriptTranslator(language = scriptLanguage()) {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { [language]: { translation: CATALOGUE[language] } },
    lng: language,
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return (key, values) => instance.t(key, values);
}
