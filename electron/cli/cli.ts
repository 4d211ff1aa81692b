import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { languageFromEnv, translator, type KeyOf, type Translator, type Values, type Words } from '../../shared/text/translator.js';

/** Electron derives userData from this name; browser mode uses the same folder so both share one store. */
export const PRODUCT_NAME = 'Warroom';
export const DEFAULT_PORT = 4717;

/**
 * Console output of the entry points, in both UI languages, through i18next like the console
 * (shared/text/translator.ts); these few lines are printed before any window exists, so they live here.
 */
const en = {
  help: [
    'Usage: warroom [options]',
    '',
    'Options:',
    '  --data-dir DIR   folder holding the incident store (default: {{defaultDataDir}};',
    '                   the WARROOM_DATA_DIR environment variable also sets it)',
    '  --port N         browser mode: port on 127.0.0.1 (default {{defaultPort}}; 0 = any free port;',
    '                   when the default port is taken another free port is used)',
    '  --no-open        browser mode: do not open the console in the web browser',
    '  -h, --help       show this help and exit',
  ].join('\n'),
  invalidArgs: 'Invalid arguments: {{details}}. Run with --help to list the options.',
  unknownOption: 'unknown option {{option}}',
  missingValue: '{{option}} needs a value',
  unexpectedValue: '{{option}} does not take a value',
  browserUrl: 'Warroom console (browser mode): {{url}}',
  portTaken: 'Port {{port}} is in use; using port {{actual}} instead.',
  startFailed: 'Warroom could not start: {{reason}}',
  rendererMissing: 'The console UI is not built (no {{file}}). Run "npm run build" first.',
  dataDirBusy: 'Another Warroom (process {{pid}}) is already using {{dir}}. Close it, or choose another folder with --data-dir.',
  storeDamaged:
    'The incident store {{file}} is damaged ({{detail}}). Nothing was changed in it. To keep working now, start with another folder (--data-dir) — with sync on, the team hub gives the record back — or copy a backup of warroom.sqlite into that folder; to save what is still readable: sqlite3 "{{file}}" .recover > recovered.sql',
  storeNotDatabase:
    '{{file}} is not a Warroom store (garbage or a truncated copy). Nothing was changed in it. Choose another folder with --data-dir, or put a good copy of warroom.sqlite in its place.',
  storeReadOnly:
    'Warroom cannot write to {{file}} (read-only disk, or a file or folder that belongs to someone else). Nothing was changed. Fix its permissions, or choose a writable folder with --data-dir.',
  storeCannotOpen:
    'Warroom cannot open {{file}} ({{detail}}). Nothing was changed. Check the disk (space, permissions), or choose another folder with --data-dir.',
  storeDiskFull:
    'The disk holding {{file}} is full. Nothing was changed and nothing was left behind. Free some space on it, or choose a folder on another disk with --data-dir.',
} as const;

const fr: Words<typeof en> = {
  help: [
    'Utilisation : warroom [options]',
    '',
    'Options :',
    '  --data-dir DOSSIER  dossier qui contient le registre des incidents (par défaut : {{defaultDataDir}} ;',
    '                      la variable d’environnement WARROOM_DATA_DIR le définit aussi)',
    '  --port N            mode navigateur : port sur 127.0.0.1 (par défaut {{defaultPort}} ; 0 = un port libre ;',
    '                      si le port par défaut est pris, un autre port libre est utilisé)',
    '  --no-open           mode navigateur : ne pas ouvrir la console dans le navigateur web',
    '  -h, --help          afficher cette aide et quitter',
  ].join('\n'),
  invalidArgs: 'Arguments invalides : {{details}}. Lancez avec --help pour voir les options.',
  unknownOption: 'option inconnue {{option}}',
  missingValue: '{{option}} attend une valeur',
  unexpectedValue: '{{option}} ne prend pas de valeur',
  browserUrl: 'Console Warroom (mode navigateur) : {{url}}',
  portTaken: 'Le port {{port}} est occupé ; le port {{actual}} est utilisé à la place.',
  startFailed: 'Warroom n’a pas pu démarrer : {{reason}}',
  rendererMissing: 'L’interface de la console n’est pas construite (pas de {{file}}). Lancez d’abord « npm run build ».',
  dataDirBusy: 'Un autre Warroom (processus {{pid}}) utilise déjà {{dir}}. Fermez-le, ou choisissez un autre dossier avec --data-dir.',
  storeDamaged:
    'Le registre des incidents {{file}} est endommagé ({{detail}}). Rien n’y a été modifié. Pour continuer tout de suite, démarrez avec un autre dossier (--data-dir) — si la synchronisation est active, le hub de l’équipe rend le registre — ou copiez-y une sauvegarde de warroom.sqlite ; pour garder ce qui est encore lisible : sqlite3 "{{file}}" .recover > recovered.sql',
  storeNotDatabase:
    '{{file}} n’est pas un registre Warroom (fichier illisible ou copie tronquée). Rien n’y a été modifié. Choisissez un autre dossier avec --data-dir, ou remettez une bonne copie de warroom.sqlite à sa place.',
  storeReadOnly:
    'Warroom ne peut pas écrire dans {{file}} (disque en lecture seule, ou fichier ou dossier appartenant à quelqu’un d’autre). Rien n’a été modifié. Corrigez ses droits, ou choisissez un dossier accessible en écriture avec --data-dir.',
  storeCannotOpen:
    'Warroom ne peut pas ouvrir {{file}} ({{detail}}). Rien n’a été modifié. Vérifiez le disque (place, droits), ou choisissez un autre dossier avec --data-dir.',
  storeDiskFull:
    'Le disque qui contient {{file}} est plein. Rien n’a été modifié ni laissé derrière. Libérez de la place, ou choisissez un dossier sur un autre disque avec --data-dir.',
};

export type Locale = 'en' | 'fr';
const MESSAGES: Record<Locale, Words<typeof en>> = { en, fr };

const PROBLEM_MESSAGES = {
  damaged: 'storeDamaged',
  not_a_database: 'storeNotDatabase',
  read_only: 'storeReadOnly',
  disk_full: 'storeDiskFull',
  cannot_open: 'storeCannotOpen',
} as const;

/** Why the store cannot be used, in the console's language, with what to do next. */
export function storeProblemMessage(locale: Locale, problem: { problem: keyof typeof PROBLEM_MESSAGES; file: string; detail: string }): string {
  return message(locale, PROBLEM_MESSAGES[problem.problem], { file: problem.file, detail: problem.detail });
}
export type MessageKey = KeyOf<typeof en>;

/** The console language follows the usual POSIX variables; anything not French is English. */
export const consoleLocale: (env: NodeJS.ProcessEnv) => Locale = languageFromEnv;

const translators = new Map<Locale, Translator<Words<typeof en>>>();

export function message(locale: Locale, key: MessageKey, vars: Values = {}): string {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = translator(MESSAGES[locale], locale)));
  return t(key, vars);
}

/**
 * The folder Electron's app.getPath('userData') gives for productName "Warroom", computed
 * without Electron so that browser mode opens the very same store.
 */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const config = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(config, PRODUCT_NAME);
}

const PortSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be at most 65535'));

const RawOptionsSchema = z.strictObject({
  dataDir: z.string().trim().min(1, 'must not be empty').optional(),
  port: PortSchema.optional(),
  open: z.boolean(),
  help: z.boolean(),
});

export interface CliOptions {
  /** Absolute path. */
  dataDir: string;
  /** 0 means "any free port". */
  port: number;
  /** True when the user chose the port, so a taken port is an error rather than a reason to pick another. */
  portExplicit: boolean;
  open: boolean;
}

export type CliResult = { kind: 'run'; options: CliOptions } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

export interface CliContext {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  cwd?: string;
  /** Electron receives Chromium switches on the same command line; it must let them through. */
  allowUnknown?: boolean;
}

/** The options, in node:util parseArgs terms. Values are checked by RawOptionsSchema afterwards. */
const OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];
const OPTION_NAMES = { dataDir: '--data-dir', port: '--port' } as const;

/** Parse the command line (without the executable and script) and the environment. */
export function parseCli(argv: readonly string[], context: CliContext): CliResult {
  const { env, platform = process.platform, home = os.homedir(), cwd = process.cwd(), allowUnknown = false } = context;
  const locale = consoleLocale(env);
  const raw: { dataDir?: string; port?: string; open: boolean; help: boolean } = { open: true, help: false };
  if (env.WARROOM_DATA_DIR !== undefined) raw.dataDir = env.WARROOM_DATA_DIR;
  const problems: string[] = [];

  // Not strict: parseArgs stops at its first error, and Electron's own Chromium switches must pass
  // through. The tokens say what each argument was, so every problem is named in the user's language.
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') {
      if (token.kind === 'positional' && !allowUnknown) problems.push(message(locale, 'unknownOption', { option: token.value }));
      continue;
    }
    const { name, rawName, value, inlineValue } = token;
    if (name === 'data-dir' || name === 'port') {
      // `--data-dir --port 1`: parseArgs takes "--port" as the folder; a value that looks like an option is a missing value.
      if (value === undefined || (!inlineValue && value.startsWith('--'))) problems.push(message(locale, 'missingValue', { option: rawName }));
      else raw[name === 'port' ? 'port' : 'dataDir'] = value;
    } else if (name === 'no-open' || name === 'help') {
      if (inlineValue) problems.push(message(locale, 'unexpectedValue', { option: rawName }));
      else if (name === 'help') raw.help = true;
      else raw.open = false;
    } else if (!allowUnknown) {
      problems.push(message(locale, 'unknownOption', { option: rawName }));
    }
  }

  const fallbackDir = defaultDataDir(platform, env, home);
  if (raw.help) {
    return { kind: 'help', text: message(locale, 'help', { defaultDataDir: fallbackDir, defaultPort: DEFAULT_PORT }) };
  }
  const parsed = RawOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${OPTION_NAMES[issue.path[0] as keyof typeof OPTION_NAMES]}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    return { kind: 'error', message: message(locale, 'invalidArgs', { details: problems.join('; ') }) };
  }
  const { dataDir, port, open } = parsed.data;
  return {
    kind: 'run',
    options: {
      dataDir: dataDir ? path.resolve(cwd, dataDir) : fallbackDir,
      port: port ?? DEFAULT_PORT,
      portExplicit: port !== undefined,
      open,
    },
  };
}
