// One time zone on every page: the one Grafana provides (the scene's time range zone, which falls back to the user's
// or the org's preference through @grafana/data's getTimeZone resolver, as Grafana core sets it), named on screen,
// with the exact time on hover of every relative one. The only place of the frontend that formats a time
// (tests/architecture/time.test.ts fails on any other).
import { dateTimeFormat, dateTimeFormatTimeAgo, getTimeZone, getTimeZoneInfo, InternalTimeZones } from '@grafana/data';
import { sceneGraph, type SceneObject } from '@grafana/scenes';
import type { TimeZone } from '@grafana/schema';
import React from 'react';

/** The zone of a scene (its time range's), else the user's preference. */
export function pageTimeZone(scene?: SceneObject): TimeZone {
  return scene ? sceneGraph.getTimeRange(scene).getTimeZone() : getTimeZone();
}

const isBrowserZone = (tz: TimeZone) =>
  tz === InternalTimeZones.localBrowserTime || tz === '' || tz === InternalTimeZones.default;

/** The zone's short name after a time: "UTC", "CET", else the UTC offset. */
export function zoneAbbreviation(tz: TimeZone, at: number): string {
  if (tz === InternalTimeZones.utc) {
    return 'UTC';
  }
  // The browser's own zone from the browser (moment's guess may name another zone with the same offset).
  const abbr = isBrowserZone(tz)
    ? new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
        .formatToParts(at)
        .find((p) => p.type === 'timeZoneName')?.value
    : getTimeZoneInfo(tz, at)?.abbreviation.split(',')[0].trim();
  if (abbr && /^[A-Z]{2,5}$/.test(abbr)) {
    return abbr;
  }
  return `UTC${dateTimeFormat(at, { timeZone: tz, format: 'Z' })}`;
}

/** Which zone the page shows, in words: "Times in UTC", "Times in Europe/Berlin (CET)", "Times in browser time (…)". */
export function zoneLabel(tz: TimeZone, at: number): string {
  if (tz === InternalTimeZones.utc) {
    return 'Times in UTC';
  }
  const abbr = zoneAbbreviation(tz, at);
  if (isBrowserZone(tz)) {
    const iana = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return `Times in your browser's time zone${iana ? ` (${iana}, ${abbr})` : ` (${abbr})`}`;
  }
  return `Times in ${tz} (${abbr})`;
}

/** "2026-11-24 13:00:00 CET" ("…13:00:00.042 CET" with `millis`, for log lines). */
export function formatExact(ms: number, tz: TimeZone, opts: { millis?: boolean } = {}): string {
  const format = opts.millis ? 'YYYY-MM-DD HH:mm:ss.SSS' : 'YYYY-MM-DD HH:mm:ss';
  return `${dateTimeFormat(ms, { timeZone: tz, format })} ${zoneAbbreviation(tz, ms)}`;
}

/** A time: exact, or relative ("5 minutes ago") with the exact time on hover and for screen readers. */
export function TimeText({ ms, tz, relative = false }: { ms: number; tz: TimeZone; relative?: boolean }) {
  const exact = formatExact(ms, tz);
  const iso = new Date(ms).toISOString();
  if (!relative) {
    return <time dateTime={iso}>{exact}</time>;
  }
  return (
    <time dateTime={iso} title={exact}>
      {dateTimeFormatTimeAgo(ms, { timeZone: tz })}
      <span className="sr-only"> ({exact})</span>
    </time>
  );
}
