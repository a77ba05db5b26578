// Owns turning `stepflow list` flags into the GET /api/executions query, with usage errors for bad values.
import type { Query } from './api-client.js';
import { usageError } from './cli-error.js';

/** The flags of `list` as commander hands them over. */
export interface ListFlags {
  status?: string | undefined;
  tag?: string | undefined;
  search?: string | undefined;
  limit: string;
  offset: string;
}

/** The statuses --status accepts. */
export const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];

// The server's own bounds (src/http/schemas.ts ListExecutionsQuery), checked here so a typo exits 2 before any request.
const MAX_LIMIT = 1000;
const MAX_OFFSET = 1_000_000_000;
const MAX_TAG_CHARS = 100;
const MAX_SEARCH_CHARS = 500;

/** Maps the flags to the list query (`--search` is the API's `q`); any bad value is a usage error naming its flag. */
export function buildListQuery(flags: ListFlags): Query & { limit: number; offset: number } {
  if (flags.status !== undefined && !STATUSES.includes(flags.status)) {
    throw usageError(`--status: "${flags.status}" is not one of ${STATUSES.join(', ')}`);
  }
  return {
    limit: parseWholeNumber('--limit', flags.limit, 1, MAX_LIMIT),
    offset: parseWholeNumber('--offset', flags.offset, 0, MAX_OFFSET),
    status: flags.status,
    tag: checkText('--tag', flags.tag, MAX_TAG_CHARS),
    q: checkText('--search', flags.search, MAX_SEARCH_CHARS),
  };
}

function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw usageError(`${flag}: "${text}" must be a whole number from ${min} to ${max}`);
  return value;
}

function checkText(flag: string, text: string | undefined, maxChars: number): string | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '') throw usageError(`${flag}: must not be empty`);
  if ([...text].length > maxChars) throw usageError(`${flag}: at most ${maxChars} characters`);
  return text;
}
