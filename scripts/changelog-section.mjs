#!/usr/bin/env node
// `node scripts/changelog-section.mjs <version> [CHANGELOG.md]`: prints the CHANGELOG section of that version (its
// `## <version>` heading up to the next `## `), for the release notes. Exits 1, naming the headings it found, when
// the version has no section: a release without notes is a mistake to stop, not to publish.
import { readFileSync } from 'node:fs';

function changelogSection(text, version) {
  const lines = text.split('\n');
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) {
    const found = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim());
    throw new Error(`CHANGELOG has no "## ${version}" section (found: ${found.join('; ') || 'none'})`);
  }
  const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines
    .slice(start, next < 0 ? undefined : next)
    .join('\n')
    .trim();
}

const [version, file = 'CHANGELOG.md'] = process.argv.slice(2);
if (!version) {
  console.error('usage: node scripts/changelog-section.mjs <version> [CHANGELOG.md]');
  process.exit(2);
}
try {
  process.stdout.write(`${changelogSection(readFileSync(file, 'utf8'), version.replace(/^v/, ''))}\n`);
} catch (err) {
  console.error(`changelog-section: ${err.message}`);
  process.exit(1);
}
