import { describe, expect, it } from 'vitest';
import { atLeast, nodeProblem } from '../scripts/node-version.mjs';

describe('the Node version each task needs', () => {
  it('compares versions part by part', () => {
    expect(atLeast('v20.19.0', '20.19.0')).toBe(true);
    expect(atLeast('v20.20.2', '20.19.0')).toBe(true);
    expect(atLeast('v20.9.0', '20.19.0')).toBe(false);
    expect(atLeast('v22.11.9', '22.12.0')).toBe(false);
    expect(atLeast('24.0.0', '22.12.0')).toBe(true);
  });

  it('names the task, the version needed and the one found', () => {
    expect(nodeProblem('app', 'v20.20.2')).toBeNull();
    expect(nodeProblem('app', 'v18.20.0', 'en')).toMatch(
      /browser mode, the hub, the build and the tests needs Node 20\.19\.0 or later; this is Node 18\.20\.0/,
    );
    expect(nodeProblem('packaging', 'v20.20.2', 'en')).toMatch(/packaging the desktop app .* needs Node 22\.12\.0 or later; this is Node 20\.20\.2/);
    expect(nodeProblem('packaging', 'v22.12.0')).toBeNull();
    expect(nodeProblem('app', 'v18.20.0', 'fr')).toMatch(
      /le mode navigateur, le hub, la construction et les tests demande Node 20\.19\.0 ou plus récent ; celui-ci est Node 18\.20\.0/,
    );
  });
});
