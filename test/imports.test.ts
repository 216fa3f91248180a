/**
 * The parts of src/ (its folders, and each top-level file on its own) import
 * each other one way only. Read from the import statements of every source
 * file, type-only imports included: a cycle between folders, such as
 * digest → render → digest, fails here with the imports that close it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

type Graph = Map<string, Map<string, string>>;

/** Every TypeScript file below `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The part of src/ a path belongs to: its top folder, or its own name for a top-level file; null outside src/. */
function partOf(file: string): string | null {
  const relative = path.relative(SRC, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const [first = '', ...rest] = relative.split(path.sep);
  return rest.length ? first : first.replace(/\.[jt]s$/, '');
}

/** The relative module specifiers of a file's imports and re-exports (`from '…'`, `import '…'`, `import('…')`). */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.[^'"]*)['"]/g)].map((m) => m[1] ?? '');
}

/** Part → the parts it imports, each with one file that does so (for the failure message). */
function importGraph(files: readonly { file: string; source: string }[]): Graph {
  const graph: Graph = new Map();
  for (const { file, source } of files) {
    const from = partOf(file);
    if (from === null) continue;
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const specifier of relativeImports(source)) {
      const to = partOf(path.resolve(path.dirname(file), specifier));
      if (to !== null && to !== from && !edges.has(to)) edges.set(to, path.relative(SRC, file));
    }
  }
  return graph;
}

function reachableFrom(graph: Graph, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** Each set of parts that import each other in a circle, as its imports `a → b (file)`; empty when there is none. */
function cycles(graph: Graph): string[][] {
  const reach = new Map([...graph.keys()].map((part) => [part, reachableFrom(graph, part)]));
  const grouped = new Set<string>();
  const found: string[][] = [];
  for (const part of [...graph.keys()].sort()) {
    if (grouped.has(part)) continue;
    const group = [...(reach.get(part) ?? [])].filter((other) => reach.get(other)?.has(part));
    if (group.length === 0) continue;
    for (const member of group) grouped.add(member);
    const members = new Set(group);
    found.push(
      [...members]
        .sort()
        .flatMap((from) =>
          [...(graph.get(from) ?? [])]
            .filter(([to]) => members.has(to))
            .map(([to, file]) => `${from} → ${to} (${file})`),
        ),
    );
  }
  return found;
}

const graph = importGraph(sourceFiles(SRC).map((file) => ({ file, source: readFileSync(file, 'utf8') })));
const importsOf = (part: string) => [...(graph.get(part)?.keys() ?? [])].sort();

describe('imports between the parts of src/', () => {
  it('finds a cycle when there is one, naming the imports that close it', () => {
    const file = (name: string) => path.join(SRC, name);
    const sample = importGraph([
      { file: file('render/a.ts'), source: "import type { D } from '../digest/d.js';" },
      {
        file: file('digest/d.ts'),
        source: "import { x } from '../store/s.js';\nexport * from '../render/a.js';",
      },
      { file: file('store/s.ts'), source: "import { E } from '../errors.js';" },
      { file: file('errors.ts'), source: '' },
    ]);
    expect(cycles(sample)).toEqual([['digest → render (digest/d.ts)', 'render → digest (render/a.ts)']]);
    sample.get('render')?.delete('digest');
    expect(cycles(sample)).toEqual([]);
  });

  it('reads the real tree', () => {
    expect(importsOf('start-bot')).toContain('slack');
    expect(importsOf('slack')).toContain('render');
  });

  it('has no cycle between folders', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the digest apart from rendering and Slack, and rendering apart from the digest', () => {
    expect(importsOf('digest')).not.toContain('render');
    expect(importsOf('digest')).not.toContain('slack');
    expect(importsOf('render')).not.toContain('digest');
  });
});
