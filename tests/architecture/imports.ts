// Pure rules over an import graph (file -> files it imports, paths relative to the repository root).
import path from 'node:path';

export type ImportGraph = Map<string, string[]>;

const EXTENSIONS = ['', '.ts', '.tsx', '.mjs', '/index.ts', '/index.tsx'];

/** The repository files a file's import specifiers name; packages and non-source files are left out. */
export function importsOf(file: string, specifiers: string[], known: Set<string>): string[] {
  const resolved = specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), s.replace(/\.js$/, '')));
      return EXTENSIONS.map((ext) => base + ext).find((candidate) => known.has(candidate));
    })
    .filter((f): f is string => f !== undefined);
  return [...new Set(resolved)];
}

/** The first cycle found, as the files around it (first file repeated at the end), or null. */
export function findCycle(graph: ImportGraph): string[] | null {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): string[] | null => {
    const at = onPath.indexOf(file);
    if (at >= 0) {
      return [...onPath.slice(at), file];
    }
    if (done.has(file)) {
      return null;
    }
    onPath.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) {
        return cycle;
      }
    }
    onPath.pop();
    done.add(file);
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) {
      return cycle;
    }
  }
  return null;
}

/** Test files and test helpers may reach across layers to build fixtures; shipped code may not. */
export const isTestCode = (file: string) => /(\.test\.tsx?|\/testing\.tsx?|\/fixtures\.ts)$/.test(file);

const under = (file: string, dir: string) => file.startsWith(dir + '/');
const pageOf = (file: string) => /^src\/pages\/([^/]+)\//.exec(file)?.[1];
const isBackend = (file: string) => under(file, 'src/backend');
const isPlugin = (file: string) => under(file, 'src') || file === 'plugin.json';
/** What the backend shares with the frontend: the query model, the infrastructure resource's model and rules, and a
 * redrive's progress. */
const CONTRACT_FILES = ['src/datasource/query.ts', 'src/datasource/redrive.ts'];
const isContract = (file: string) => CONTRACT_FILES.includes(file) || under(file, 'src/datasource/infrastructure');

interface Rule {
  name: string;
  broken: (from: string, to: string) => boolean;
}

const RULES: Rule[] = [
  {
    name: 'the protocol layer knows nothing of KiCI',
    broken: (from, to) => under(from, 'src/backend/protocol') && !under(to, 'src/backend/protocol'),
  },
  {
    name: 'KiCI data access does not know the features',
    broken: (from, to) => under(from, 'src/backend/kici') && under(to, 'src/backend/features'),
  },
  {
    name: 'the backend shares only the contract with the frontend',
    broken: (from, to) => isBackend(from) && !isBackend(to) && isPlugin(to) && !isContract(to),
  },
  {
    name: 'the frontend never imports the backend',
    broken: (from, to) => isPlugin(from) && !isBackend(from) && isBackend(to),
  },
  {
    name: 'components do not import pages or the app root',
    broken: (from, to) => under(from, 'src/components') && (under(to, 'src/pages') || under(to, 'src/app')),
  },
  {
    name: 'a page does not import another page',
    broken: (from, to) => pageOf(from) !== undefined && pageOf(to) !== undefined && pageOf(from) !== pageOf(to),
  },
  {
    name: 'the plugin never depends on kici-sim, tests or benchmarks',
    broken: (from, to) => isPlugin(from) && !isPlugin(to),
  },
];

/** "file -> import: rule" for every import of shipped code that breaks a rule. */
export function layerViolations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [from, imports] of graph) {
    if (isTestCode(from)) {
      continue;
    }
    for (const to of imports) {
      for (const rule of RULES.filter((r) => r.broken(from, to))) {
        found.push(`${from} -> ${to}: ${rule.name}`);
      }
    }
  }
  return found;
}
