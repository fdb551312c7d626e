import { render, screen } from '@testing-library/react';
import React from 'react';

import { formatExact, TimeText, zoneAbbreviation, zoneLabel } from './time';

// Zone names and abbreviations as @grafana/data 12.4.2 (datetime/timezones.ts, moment-timezone) gives them.
const AT = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('one time zone, named (issue 17 item 9)', () => {
  it('formats in the given zone with its short name', () => {
    expect(formatExact(AT, 'utc')).toBe('2026-01-01 12:00:00 UTC');
    expect(formatExact(AT, 'Europe/Berlin')).toBe('2026-01-01 13:00:00 CET');
    expect(formatExact(AT, 'America/New_York')).toBe('2026-01-01 07:00:00 EST');
    // Log lines (Traces) keep their milliseconds, in the same zone.
    expect(formatExact(AT + 42, 'Europe/Berlin', { millis: true })).toBe('2026-01-01 13:00:00.042 CET');
  });

  it('names the zone the page shows', () => {
    expect(zoneLabel('utc', AT)).toBe('Times in UTC');
    expect(zoneLabel('Europe/Berlin', AT)).toBe('Times in Europe/Berlin (CET)');
    expect(zoneLabel('browser', AT)).toMatch(/^Times in your browser's time zone \(.+\)$/);
  });

  it('falls back to the UTC offset where a zone has no abbreviation', () => {
    expect(zoneAbbreviation('Asia/Kolkata', AT)).toMatch(/^(IST|UTC\+05:30)$/);
    expect(zoneAbbreviation('America/Sao_Paulo', AT)).toBe('UTC-03:00');
  });

  it('a relative time carries the exact one on hover and for screen readers', () => {
    render(<TimeText ms={Date.now() - 5 * 60_000} tz="Europe/Berlin" relative />);
    const time = screen.getByText(/minutes ago/).closest('time')!;
    expect(time.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (CET|CEST)$/);
    expect(time).toHaveTextContent(time.getAttribute('title')!);
  });
});
