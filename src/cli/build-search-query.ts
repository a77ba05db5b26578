// Owns turning `stepflow search` flags into the GET /api/search query, with usage errors for bad values.
import type { Query } from './api-client.js';
import { usageError } from './cli-error.js';
import { STATUSES } from './build-list-query.js';

/** The flags of `search` as commander hands them over. */
export interface SearchFlags {
  regex?: boolean | undefined;
  status?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  name?: string | undefined;
  limit: string;
  cursor?: string | undefined;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO time, or a span back from `now` (`30d`, `12h`, `45m`), as the ISO time the API takes. */
export function parseTimeFlag(flag: string, text: string | undefined, now: number): string | undefined {
  if (text === undefined) return undefined;
  const span = /^(\d{1,6})([mhd])$/.exec(text);
  if (span) return new Date(now - Number(span[1]) * (UNIT_MS[span[2] as string] as number)).toISOString();
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at))
    throw usageError(`${flag}: "${text}" is neither a time like 2026-01-31T12:00:00Z nor a span like 30d, 12h or 45m`);
  return new Date(at).toISOString();
}

/** Maps the text and flags to the search query; any bad value is a usage error naming its flag. */
export function buildSearchQuery(text: string, flags: SearchFlags, now: number): Query {
  if (text.length === 0 || [...text].length > 500) throw usageError('<text>: 1 to 500 characters');
  if (flags.status !== undefined && !STATUSES.includes(flags.status))
    throw usageError(`--status: "${flags.status}" is not one of ${STATUSES.join(', ')}`);
  const limit = /^\d+$/.test(flags.limit) ? Number(flags.limit) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) throw usageError(`--limit: "${flags.limit}" must be a whole number from 1 to 100`);
  return {
    q: text,
    regex: flags.regex ? 'true' : undefined,
    status: flags.status,
    name: flags.name,
    limit,
    cursor: flags.cursor,
    since: parseTimeFlag('--since', flags.since, now),
    until: parseTimeFlag('--until', flags.until, now),
  };
}
