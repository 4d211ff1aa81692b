import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The module graph of the application, type imports included. ESLint's import-x/no-cycle keeps
 * value imports acyclic but skips `import type` (erased at build); a type-only cycle still ties two
 * modules together for a reader, so this walk counts every import.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const LAYERS = ['shared', 'electron', 'renderer', 'hub'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' || entry.name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return null;
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((f): f is string => f !== null);
      return [file, [...new Set(targets)]];
    }),
  );
}

/** Strongly connected components of more than one module (Tarjan): each is an import cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('module graph', () => {
  const files = LAYERS.flatMap((layer) => sources(path.join(ROOT, layer)));

  it('has no import cycle, type imports included', () => {
    const found = cycles(importGraph(files)).map((c) => c.map((f) => path.relative(ROOT, f)));
    expect(found).toEqual([]);
  });

  it('the walk finds a cycle when there is one (two modules importing each other, one by type only)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-graph-'));
    try {
      const [a, b, c] = ['a.ts', 'b.ts', 'c.ts'].map((name) => path.join(dir, name)) as [string, string, string];
      writeFileSync(a, "import { b } from './b.js';\nexport const a = b + 1;\n");
      writeFileSync(b, "import type { A } from './a.js';\nexport const b = 1;\nexport type B = A;\n");
      writeFileSync(c, "import { a } from './a.js';\nexport const c = a;\n");
      expect(cycles(importGraph([a, b, c]))).toEqual([[a, b]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every source file sits in a feature or layer folder, none loose at the top of electron/, shared/ or renderer/', () => {
    const loose = files.map((f) => path.relative(ROOT, f)).filter((f) => /^(electron|shared|renderer)\/[^/]+$/.test(f) && f !== 'renderer/index.html');
    expect(loose).toEqual([]);
  });
});
