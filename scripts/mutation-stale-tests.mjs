#!/usr/bin/env node
// Which modules' mutation results in the incremental baseline can no longer be trusted because test code that
// Stryker's incremental differ does not look at changed (issue 20). Stryker keys a test by its file, name and start
// line, and treats a test as changed only when the text from its start to the next test's start changed. So it misses:
//   1. a test file's shared code outside the tests (imports, helpers and fixtures above the first test, a describe's
//      setup above its first test): the tests using it are not re-run, their old "killed" results are reused;
//   2. test-support modules (e.g. src/datasource/infrastructure/testing.ts): no module that tests import is diffed
//      unless it is itself mutated.
// For (1) the test files' baseline sources are compared with the current ones, tests left out (every `it`/`test`
// call, `.each` tables included) and comments and white space ignored. For (2) the baseline holds a hash of every
// test-support module (a non-test file imported only by tests or other test-support modules) in the baseline, and
// `stale` compares. A module is stale when a test file that covered one of its mutants changed in (1) or imports a
// changed test-support module (directly or through another one).
//   node scripts/mutation-stale-tests.mjs <module,module,...> [baseline]   -> prints the stale modules, comma-separated
// The hashes are written into the baseline (`testHelpers`) by scripts/strip-mutation-report.mjs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'dev'];
const EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.cjs'];
const isTest = (f) => /\.test\.(ts|tsx|js|mjs)$/.test(f);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') {
      continue;
    }
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      walk(p, out);
    } else if (EXTENSIONS.some((e) => name.endsWith(e))) {
      out.push(relative(ROOT, p));
    }
  }
  return out;
}

function resolveImport(from, spec) {
  const bases = spec.startsWith('.') ? [resolve(ROOT, dirname(from), spec)] : [resolve(ROOT, 'src', spec)];
  for (const base of bases) {
    for (const candidate of [
      base,
      ...EXTENSIONS.map((e) => base + e),
      ...EXTENSIONS.map((e) => join(base, `index${e}`)),
    ]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        return relative(ROOT, candidate);
      }
    }
  }
  return null;
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bjest\.mock\s*\(\s*)['"]([^'"]+)['"]/g;

/** file -> the project files it imports */
function importGraph() {
  const graph = new Map();
  for (const dir of SOURCE_DIRS) {
    for (const f of walk(join(ROOT, dir))) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      const deps = new Set();
      for (const m of text.matchAll(IMPORT_RE)) {
        const r = resolveImport(f, m[1]);
        if (r) {
          deps.add(r);
        }
      }
      graph.set(f, deps);
    }
  }
  return graph;
}

/** Non-test files imported only by tests or by other such files (to a fixed point). */
function testHelpers(graph) {
  const importers = new Map();
  for (const [f, deps] of graph) {
    for (const d of deps) {
      importers.set(d, [...(importers.get(d) ?? []), f]);
    }
  }
  const helpers = new Set();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [f, by] of importers) {
      if (!isTest(f) && !helpers.has(f) && by.every((i) => isTest(i) || helpers.has(i))) {
        helpers.add(f);
        grew = true;
      }
    }
  }
  return helpers;
}

const TEST_FNS = new Set(['it', 'test', 'fit', 'xit', 'xtest']);

/** Is `callee` it/test, it.only/skip/todo/concurrent, or it.each(table) / it.each`table`? */
function isTestCallee(callee) {
  if (ts.isIdentifier(callee)) {
    return TEST_FNS.has(callee.text);
  }
  if (ts.isPropertyAccessExpression(callee)) {
    return isTestCallee(callee.expression);
  }
  if (ts.isCallExpression(callee) || ts.isTaggedTemplateExpression(callee)) {
    const inner = ts.isCallExpression(callee) ? callee.expression : callee.tag;
    return ts.isPropertyAccessExpression(inner) && inner.name.text === 'each' && isTestCallee(inner.expression);
  }
  return false;
}

/**
 * The file's tokens outside the tests, comments and white space left out; an import is reduced to its module
 * (importing one more name from the same module is not a change to shared code).
 */
function sharedCode(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const skip = [];
  const imports = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      imports.push(`import ${node.moduleSpecifier.getText(sf)}`);
      skip.push([node.getStart(sf), node.end]);
      return;
    }
    if (ts.isCallExpression(node) && isTestCallee(node.expression)) {
      skip.push([node.getStart(sf), node.end]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.JSX, text);
  const tokens = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const at = scanner.getTokenStart();
    if (!skip.some(([s, e]) => at >= s && at < e)) {
      tokens.push(scanner.getTokenText());
    }
  }
  return [...[...new Set(imports)].sort(), ...tokens].join(' ');
}

/** A test-support module's code, comments and white space left out. */
const helperHash = (file) => sha256(sharedCode(file, readFileSync(join(ROOT, file), 'utf8')));

function load(baselineFile) {
  return JSON.parse(readFileSync(resolve(ROOT, baselineFile), 'utf8'));
}

/** Hashes of the test-support modules the given test files import (directly or through one another). */
export function helperHashes(testFiles) {
  const graph = importGraph();
  const helpers = testHelpers(graph);
  const reached = new Set();
  const visit = (f) => {
    for (const d of graph.get(f) ?? []) {
      if (helpers.has(d) && !reached.has(d)) {
        reached.add(d);
        visit(d);
      }
    }
  };
  testFiles.forEach(visit);
  return Object.fromEntries([...reached].sort().map((h) => [h, helperHash(h)]));
}

function stale(modules, baselineFile) {
  const report = load(baselineFile);
  const testFileById = new Map();
  for (const [file, { tests }] of Object.entries(report.testFiles ?? {})) {
    for (const t of tests) {
      testFileById.set(t.id, file);
    }
  }
  /** test file -> the modules whose mutants its tests covered or killed */
  const modulesByTestFile = new Map();
  for (const m of modules) {
    for (const mutant of report.files?.[m]?.mutants ?? []) {
      for (const id of [...(mutant.coveredBy ?? []), ...(mutant.killedBy ?? [])]) {
        const tf = testFileById.get(id);
        if (tf) {
          modulesByTestFile.set(tf, new Set([...(modulesByTestFile.get(tf) ?? []), m]));
        }
      }
    }
  }

  const changedTestFiles = new Map();
  for (const [file, { source }] of Object.entries(report.testFiles ?? {})) {
    const path = join(ROOT, file);
    if (source === undefined || !existsSync(path)) {
      continue;
    }
    const now = readFileSync(path, 'utf8');
    if (now !== source && sharedCode(file, now) !== sharedCode(file, source)) {
      changedTestFiles.set(file, 'its code outside the tests changed');
    }
  }

  const graph = importGraph();
  const helpers = testHelpers(graph);
  const recorded = report.testHelpers ?? {};
  const changedHelpers = [...helpers].filter((h) => recorded[h] !== helperHash(h));
  if (changedHelpers.length) {
    const reaches = (f, seen = new Set()) => {
      for (const d of graph.get(f) ?? []) {
        if (changedHelpers.includes(d)) {
          return d;
        }
        if (helpers.has(d) && !seen.has(d)) {
          seen.add(d);
          const r = reaches(d, seen);
          if (r) {
            return r;
          }
        }
      }
      return null;
    };
    for (const tf of modulesByTestFile.keys()) {
      const h = reaches(tf);
      if (h && !changedTestFiles.has(tf)) {
        changedTestFiles.set(tf, `it imports ${h}, changed since the baseline`);
      }
    }
  }

  const out = new Set();
  for (const [tf, why] of changedTestFiles) {
    const ms = modulesByTestFile.get(tf);
    if (ms?.size) {
      console.error(`${tf}: ${why}: re-run in full: ${[...ms].join(', ')}`);
      ms.forEach((m) => out.add(m));
    }
  }
  process.stdout.write([...out].join(','));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [modules, baseline] = process.argv.slice(2);
  if (!modules) {
    console.error('usage: node scripts/mutation-stale-tests.mjs <module,...> [baseline]');
    process.exit(2);
  }
  stale(modules.split(',').filter(Boolean), baseline ?? 'reports/stryker-incremental.json');
}
