// Issue 17 item 9: one time zone everywhere. Every time the plugin's pages show goes through src/components/time.tsx
// (the zone Grafana gives the page, named, with the exact time on hover of a relative one); a page formatting a time
// itself (@grafana/data's dateTime* formatters, Intl.DateTimeFormat, Date's toLocale*/toUTCString/toTimeString)
// would bring back a second zone. The backend (its own log timestamps) and tests are not pages.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const ALLOWED = new Set(['src/components/time.tsx']);

/** Calls that turn a time into text in some zone. */
const FORMATTERS =
  /\b(dateTimeFormat|dateTimeFormatISO|dateTimeFormatTimeAgo|dateTimeFormatWithAbbrevation)\b|Intl\.DateTimeFormat|\.toLocale(Date|Time)String\(|\.toUTCString\(|\.toTimeString\(|\.toDateString\(|\.toLocaleString\([^)]*(timeZone|hour|dateStyle)/;

function frontendFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) {
      return rel === 'src/backend' ? [] : frontendFiles(rel);
    }
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

export function timeFormattingOutside(files: Array<{ file: string; text: string }>): string[] {
  return files.flatMap(({ file, text }) =>
    ALLOWED.has(file)
      ? []
      : text
          .split('\n')
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => FORMATTERS.test(line) && !/^\s*(\/\/|\*)/.test(line))
          .map(({ line, i }) => `${file}:${i + 1}: ${line.trim()}`)
  );
}

it('formats times only in src/components/time.tsx', () => {
  const files = frontendFiles('src').map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
  expect(files.length).toBeGreaterThan(100);
  expect(files.some((f) => f.file === 'src/components/time.tsx')).toBe(true);
  expect(timeFormattingOutside(files)).toEqual([]);
});

it('catches each way a page could format a time itself', () => {
  const page = (line: string) => ({ file: 'src/pages/x/X.tsx', text: `const a = 1;\n${line}` });
  for (const line of [
    '{dateTimeFormat(r.firstAt)}',
    "dateTimeFormatTimeAgo(ms, { timeZone: 'utc' })",
    'new Intl.DateTimeFormat().format(d)',
    'new Date(ms).toLocaleTimeString()',
    "d.toLocaleString('en-US', { timeZone: 'UTC' })",
    'd.toUTCString()',
  ]) {
    expect(timeFormattingOutside([page(line)])).toEqual([`src/pages/x/X.tsx:2: ${line}`]);
  }
  // Numbers are not times; time.tsx itself may.
  expect(timeFormattingOutside([page("n.toLocaleString('en-US')")])).toEqual([]);
  expect(timeFormattingOutside([{ file: 'src/components/time.tsx', text: 'dateTimeFormat(ms)' }])).toEqual([]);
});
