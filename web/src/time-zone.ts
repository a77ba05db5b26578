// Owns the one time zone every time on a page is shown in: the browser's own (default) or UTC, kept in localStorage.
import { useEffect, useState } from 'preact/hooks';

/** Which zone times are shown in. */
export type TimeZoneChoice = 'local' | 'utc';

const KEY = 'stepflow.timeZone';
const listeners = new Set<(zone: TimeZoneChoice) => void>();
let current: TimeZoneChoice = readStored();
// en-US with a 24-hour cycle gives ASCII digits in a fixed order whatever the user's locale, so parts can be reassembled.
const formatters = new Map<TimeZoneChoice, Intl.DateTimeFormat>();

function readStored(): TimeZoneChoice {
  try {
    return localStorage.getItem(KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

function formatterFor(zone: TimeZoneChoice): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone === 'utc' ? 'UTC' : undefined,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, format);
  }
  return format;
}

function partsOf(date: Date, zone: TimeZoneChoice): Record<string, string> {
  return Object.fromEntries(
    formatterFor(zone)
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
}

/** Switches every page to `zone` and remembers it for the next visit. */
export function setTimeZone(zone: TimeZoneChoice): void {
  current = zone;
  try {
    localStorage.setItem(KEY, zone);
  } catch {
    // Storage may be off (private mode); the choice then lasts for this page only.
  }
  for (const listener of listeners) listener(zone);
}

/** The chosen zone, re-rendering the caller when it changes. */
export function useTimeZone(): TimeZoneChoice {
  const [zone, setZone] = useState(current);
  useEffect(() => {
    listeners.add(setZone);
    setZone(current);
    return () => void listeners.delete(setZone);
  }, []);
  return zone;
}

/** The browser's IANA zone, e.g. "Europe/Berlin", for the zone picker. */
export function localZoneId(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local';
}

/** "UTC", or the local zone's short name at `date` ("EST", "GMT+1"), to label times. */
export function zoneName(zone: TimeZoneChoice, date = new Date()): string {
  return zone === 'utc' ? 'UTC' : (partsOf(date, zone).timeZoneName ?? '');
}

/** "2026-12-01 17:08:03 EST": a date and time in `zone`, labelled with it; "—" without a time. */
export function formatTime(iso: string | null | undefined, zone: TimeZoneChoice): string {
  if (!iso) return '—';
  const p = partsOf(new Date(iso), zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** "17:08:03.123": the time of day of a log line in `zone` (called for visible rows only). */
export function formatClock(iso: string, zone: TimeZoneChoice): string {
  if (zone === 'utc') return iso.slice(11, 23);
  const date = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** "2026-12-01": the calendar day of `date` in `zone`. */
export function dayKey(date: Date, zone: TimeZoneChoice): string {
  const p = partsOf(date, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The instant a calendar day ("2026-12-01") starts, or its last millisecond, in `zone`, as ISO-8601; undefined for a malformed day. */
export function dayBoundary(day: string, zone: TimeZoneChoice, endOfDay: boolean): string | undefined {
  const time = endOfDay ? 'T23:59:59.999' : 'T00:00:00.000';
  const instant = new Date(`${day}${time}${zone === 'utc' ? 'Z' : ''}`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}
