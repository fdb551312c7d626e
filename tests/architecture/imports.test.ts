// The house rules of DESIGN.md, checked on every source file: imports flow one way and never in a cycle.
// Imports are read with TypeScript's own pre-processor (static imports, re-exports, dynamic import()).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

import { findCycle, importsOf, layerViolations, type ImportGraph } from './imports';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' ? [] : sourceFiles(rel);
    }
    return /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function buildGraph(): ImportGraph {
  const files = ['src', 'dev', 'tests', 'bench', 'scripts'].flatMap(sourceFiles);
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    graph.set(file, importsOf(file, specifiers, known));
  }
  return graph;
}

const graph = buildGraph();

it('reads the whole tree', () => {
  expect(graph.size).toBeGreaterThan(300);
  // A resolved edge the rules below depend on: the app root imports the pages.
  expect(graph.get('src/app/App.tsx')).toContain('src/pages/dlq/dlqPage.ts');
});

it('has no import cycle', () => {
  expect(findCycle(graph)).toBeNull();
});

it('keeps the layers of DESIGN.md', () => {
  expect(layerViolations(graph)).toEqual([]);
});
