/**
 * The Node version each task needs, checked before it starts so that an old Node gives one clear
 * line instead of a stack trace from deep inside a dependency.
 *   app       browser mode, the hub, the build and the tests: Node 20.19 or later
 *             (require() of ES modules, node:util parseArgs tokens, fetch and Web Streams)
 *   packaging electron-builder's Electron tooling (@electron/rebuild, @electron/get) declares
 *             Node 22.12 or later
 */
import { scriptLanguage, scriptTranslator } from './messages.mjs';

export const NODE_REQUIREMENTS = {
  // What each task is called in the message: `task.app`, `task.packaging` in scripts/messages.mjs.
  app: { version: '20.19.0' },
  packaging: { version: '22.12.0' },
};

/** True when `actual` (e.g. "v20.20.2" or "20.20.2") is at least `wanted` ("20.19.0"). */
export function atLeast(actual, wanted) {
  const a = actual.replace(/^v/, '').split('.').map(Number);
  const w = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (w[i] ?? 0)) return (a[i] ?? 0) > (w[i] ?? 0);
  }
  return true;
}

/** Null when this Node can run `task`, otherwise the sentence to print (in the locale's language). */
export function nodeProblem(task, actual = process.version, language = scriptLanguage()) {
  const need = NODE_REQUIREMENTS[task];
  if (atLeast(actual, need.version)) return null;
  const say = scriptTranslator(language);
  return say('nodeTooOld', { what: say(`task.${task}`), version: need.version, actual: actual.replace(/^v/, '') });
}

/** Exit with the sentence when this Node is too old for `task`. */
export function requireNode(task) {
  const problem = nodeProblem(task);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
