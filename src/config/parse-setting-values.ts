// Owns how a setting's raw value (from a flag, an env var or the config file) is read and checked: one parser per kind.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { redactDatabaseUrl } from '../core/redact-database-url.js';
import { isMarkerDialect, MARKER_DIALECTS } from '../markers/marker-dialect.js';
import type { LogLevel } from './config.js';

/** A value as a source delivers it: env and flags give strings, a JSON file any JSON value. */
export type RawValue = unknown;

/** The outcome of parsing one raw value: the typed value, or the reason it is unusable. */
export type ParseResult = { ok: true; value: SettingValue } | { ok: false; reason: string };

/** A parsed setting value. */
export type SettingValue = string | number | boolean | readonly string[];

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const MARKER_MODES = ['line_start', 'anywhere'] as const;

// Numbers read the same from every source (`got 0`); anything else is quoted so blanks and spaces show.
function show(raw: RawValue): string {
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) return raw;
  return JSON.stringify(raw) ?? String(raw);
}

// JSON numbers pass through; strings must be plain decimal digits so "8080abc" or "1e3" is not a port.
function toNumber(raw: RawValue): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)) return Number(raw);
  return undefined;
}

export function parsePort(raw: RawValue): ParseResult {
  const n = toNumber(raw);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 65535) {
    return { ok: false, reason: `${show(raw)} is not a port number (0-65535)` };
  }
  return { ok: true, value: n };
}

export function integerIn(min: number, max: number): (raw: RawValue) => ParseResult {
  return (raw) => {
    const n = toNumber(raw);
    if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
      return { ok: false, reason: `must be an integer from ${min} to ${max}, got ${show(raw)}` };
    }
    return { ok: true, value: n };
  };
}

export function secondsIn(min: number, max: number): (raw: RawValue) => ParseResult {
  return (raw) => {
    const n = toNumber(raw);
    if (n === undefined || n < min || n > max) {
      return { ok: false, reason: `must be a number of seconds from ${min} to ${max}, got ${show(raw)}` };
    }
    return { ok: true, value: n };
  };
}

export function oneOf(values: readonly string[]): (raw: RawValue) => ParseResult {
  return (raw) =>
    typeof raw === 'string' && values.includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: `must be one of ${values.join(', ')}, got ${show(raw)}` };
}

/** Reads true/false (also 1/0, yes/no, on/off) from any source. */
export function parseSwitch(raw: RawValue): ParseResult {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const text = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return { ok: true, value: true };
  if (['false', '0', 'no', 'off'].includes(text)) return { ok: true, value: false };
  return { ok: false, reason: `${show(raw)} is not true or false` };
}

// A guessable key protects nothing; 16 characters is the floor, generated keys are 43.
export function parseApiKey(raw: RawValue): ParseResult {
  if (typeof raw !== 'string' || raw.trim().length < 16 || /\s/.test(raw)) {
    return { ok: false, reason: 'must be at least 16 characters without spaces (the value is not shown)' };
  }
  return { ok: true, value: raw };
}

// Environment variable names are letters, digits and `_`; `*` stands for any run of them.
export function parseNamePattern(raw: string): ParseResult {
  return /^[A-Za-z0-9_*]+$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `${show(raw)} is not a name pattern like *TOKEN* or *_KEY` };
}

export function parseHost(raw: RawValue): ParseResult {
  if (typeof raw !== 'string' || raw.trim() === '' || /\s/.test(raw)) {
    return { ok: false, reason: `${show(raw)} is not a host name or IP address` };
  }
  return { ok: true, value: raw };
}

// A Host name as browsers send it (a DNS name, an IPv4 address or a bracketed IPv6 address), or `*` for any.
export function parseHostName(raw: string): ParseResult {
  return raw === '*' || /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(raw)
    ? { ok: true, value: raw.toLowerCase() }
    : { ok: false, reason: `${show(raw)} is not a host name like stepflow.example.com, 10.0.0.5, [::1] or *` };
}

export function parsePath(raw: RawValue, cwd: string): ParseResult {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: `${show(raw)} is not a path` };
  return { ok: true, value: isAbsolute(raw) ? resolve(raw) : resolve(cwd, raw) };
}

// The storage directory may not exist yet (the app creates it), but it must not be a file.
export function parseStoragePath(raw: RawValue, cwd: string): ParseResult {
  const parsed = parsePath(raw, cwd);
  if (!parsed.ok) return parsed;
  const stat = statSync(String(parsed.value), { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) return { ok: false, reason: `${parsed.value} exists and is not a directory` };
  return parsed;
}

// Executions would fail one by one at spawn time; better to refuse at start-up.
export function parseExistingDirectory(raw: RawValue, cwd: string): ParseResult {
  const parsed = parsePath(raw, cwd);
  if (!parsed.ok) return parsed;
  const stat = statSync(String(parsed.value), { throwIfNoEntry: false });
  if (!stat) return { ok: false, reason: `directory ${parsed.value} does not exist` };
  if (!stat.isDirectory()) return { ok: false, reason: `${parsed.value} is not a directory` };
  return parsed;
}

// Compared with working directories after their symlinks are resolved, so the roots are resolved too.
export function parseRealDirectory(raw: RawValue, cwd: string): ParseResult {
  const parsed = parseExistingDirectory(raw, cwd);
  return parsed.ok ? { ok: true, value: realpathSync(String(parsed.value)) } : parsed;
}

// A user name as useradd accepts it, or a numeric uid; whether it exists is checked at start-up.
export function parseUser(raw: RawValue): ParseResult {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return { ok: true, value: String(raw) };
  if (typeof raw === 'string' && /^([A-Za-z_][A-Za-z0-9_.-]*\$?|\d+)$/.test(raw)) return { ok: true, value: raw };
  return { ok: false, reason: `${show(raw)} is not a user name or uid` };
}

export function parseVariableName(raw: string): ParseResult {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `${show(raw)} is not an environment variable name` };
}

// An empty list would silently read no markers at all: a server that wants plain text says `stepflow` and prints none.
export function parseMarkerDialects(raw: RawValue, cwd: string): ParseResult {
  const parsed = listOf((item) =>
    isMarkerDialect(item.toLowerCase())
      ? { ok: true, value: item.toLowerCase() }
      : { ok: false, reason: `"${item}" is not a marker dialect (${MARKER_DIALECTS.join(', ')})` },
  )(raw, cwd);
  if (parsed.ok && (parsed.value as readonly string[]).length === 0)
    return { ok: false, reason: 'must name at least one marker dialect' };
  return parsed;
}

export function listOf(each: (item: string, cwd: string) => ParseResult): (raw: RawValue, cwd: string) => ParseResult {
  return (raw, cwd) => {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
    if (!items) return { ok: false, reason: `${show(raw)} is not a comma-separated list` };
    const values: string[] = [];
    for (const item of items.map((entry) => String(entry).trim()).filter((entry) => entry !== '')) {
      const parsed = each(item, cwd);
      if (!parsed.ok) return parsed;
      values.push(String(parsed.value));
    }
    return { ok: true, value: values };
  };
}

export function parseOrigin(raw: string): ParseResult {
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === raw.replace(/\/$/, ''))
      return { ok: true, value: url.origin };
  } catch {
    // falls through to the problem below
  }
  return { ok: false, reason: `${show(raw)} is not an origin like https://ci.example.com or http://127.0.0.1:3000` };
}

// A PostgreSQL URL (libpq's postgres:// or postgresql://); a bad one is echoed without its password.
export function parseDatabaseUrl(raw: RawValue): ParseResult {
  if (typeof raw !== 'string') return { ok: false, reason: `must be a postgres:// URL, got ${show(raw)}` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL: expected postgres://user:password@host:5432/database' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return { ok: false, reason: `must be a postgres:// or postgresql:// URL, got ${redactDatabaseUrl(raw)}` };
  }
  if (url.pathname.length <= 1)
    return { ok: false, reason: `names no database (…/stepflow at the end): ${redactDatabaseUrl(raw)}` };
  return { ok: true, value: raw };
}

export function parseServerName(raw: RawValue): ParseResult {
  return typeof raw === 'string' && /^[\w.:-]{1,100}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `must be 1-100 letters, digits, '.', '_', ':' or '-', got ${show(raw)}` };
}
