// scripts/changelog-section.mjs: the release workflow's notes are the CHANGELOG section of the tagged version.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/changelog-section.mjs');
const CHANGELOG = `# Changelog

## 1.1.0

- Traces page: search by delivery id.

## [1.0.0] - 2026-11-30

Initial release.

- Overview, Infrastructure, Event DLQ.
`;

function run(version: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kici-changelog-'));
  try {
    fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), CHANGELOG);
    return spawnSync(process.execPath, [SCRIPT, version, path.join(dir, 'CHANGELOG.md')], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

it('prints the section of the version, up to the next one', () => {
  expect(run('1.1.0')).toMatchObject({ status: 0, stdout: '## 1.1.0\n\n- Traces page: search by delivery id.\n' });
});

it('takes the tag name and bracketed headings', () => {
  expect(run('v1.0.0')).toMatchObject({
    status: 0,
    stdout: '## [1.0.0] - 2026-11-30\n\nInitial release.\n\n- Overview, Infrastructure, Event DLQ.\n',
  });
});

it('fails, naming the sections it has, when the version has none', () => {
  expect(run('1.0.1')).toMatchObject({
    status: 1,
    stdout: '',
    stderr: 'changelog-section: CHANGELOG has no "## 1.0.1" section (found: 1.1.0; [1.0.0] - 2026-11-30)\n',
  });
});

it('does not take 1.0.0 or 1.1.0 for 1.0', () => {
  const r = run('1.0');
  expect(r.status).toBe(1);
});
