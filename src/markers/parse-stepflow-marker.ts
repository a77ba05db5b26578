// Owns the StepFlow marker dialect: one output line -> a marker event, plain text, or a malformed marker.
import { stripAnsiEscapes } from '../core/strip-ansi-escapes.js';
import type { MarkerEvent, MarkerMatchMode } from './marker-event.js';
import { parseMarkerOptions } from './parse-marker-options.js';
import { parseMarkerValue } from './parse-marker-value.js';

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
const CASE_SENSITIVE: ReadonlySet<string> = new Set(['MASK', 'PROGRESS', 'SUMMARY']);

const TOKEN_AT_START = /^\s*(STEP_START|STEP_COMPLETE|STEP_ERROR|ARTIFACT|META|MASK|PROGRESS|SUMMARY):/i;
const TOKEN_ANYWHERE = /(STEP_START|STEP_COMPLETE|STEP_ERROR|ARTIFACT|META|MASK|PROGRESS|SUMMARY):/i;
// GitHub Actions' workflow command, so scripts written for Actions keep their masks.
const ADD_MASK_AT_START = /^\s*::add-mask::/;
const ADD_MASK_ANYWHERE = /::add-mask::/;

/**
 * Reads one output line (without its newline). In `line_start` mode a token counts only at the
 * start of the line, after optional whitespace and ANSI codes; in `anywhere` mode (the old
 * tool's) it may appear anywhere. Never throws.
 */
export function parseStepflowMarker(line: string, mode: MarkerMatchMode): MarkerEvent {
  // Cheap exit for the vast majority of lines, which are plain output.
  if (!line.includes(':')) return TEXT;
  const clean = stripAnsiEscapes(line);
  const addMask = clean.includes('::add-mask::')
    ? (mode === 'anywhere' ? ADD_MASK_ANYWHERE : ADD_MASK_AT_START).exec(clean)
    : null;
  if (addMask !== null) return readMask(clean.slice(addMask.index + addMask[0].length));
  const match = (mode === 'anywhere' ? TOKEN_ANYWHERE : TOKEN_AT_START).exec(clean);
  if (match === null) return TEXT;
  const token = (match[1] as string).toUpperCase();
  // Only upper-case MASK, PROGRESS and SUMMARY count: "Mask: on" or "Progress: 40%" in ordinary output are not markers.
  if (CASE_SENSITIVE.has(token) && match[1] !== token) return TEXT;
  // trimEnd also drops the `\r` of CRLF output.
  const rest = clean.slice(match.index + match[0].length).trimEnd();
  switch (token) {
    case 'STEP_START':
      return readStepStart(rest);
    case 'STEP_COMPLETE':
      return { kind: 'step_complete', name: rest.trim() };
    case 'STEP_ERROR':
      return { kind: 'step_error', message: rest.trim() };
    case 'ARTIFACT':
      return readArtifact(rest);
    case 'MASK':
      return readMask(rest);
    case 'PROGRESS':
      return readProgress(rest);
    case 'SUMMARY':
      return rest.trim() === '' ? malformed('SUMMARY: has an empty path') : { kind: 'summary', path: rest.trim() };
    default:
      return readMeta(rest);
  }
}

function readStepStart(rest: string): MarkerEvent {
  const optionsAt = rest.search(/[[{]|(?:^|\s)--/);
  const name = (optionsAt < 0 ? rest : rest.slice(0, optionsAt)).trim();
  if (name === '') return malformed(`STEP_START:${rest} has an empty step name`);
  if (optionsAt < 0) return { kind: 'step_start', name, options: {} };
  const parsed = parseMarkerOptions(rest.slice(optionsAt));
  if (!parsed.ok) return malformed(`STEP_START:${rest}: ${parsed.problem}`);
  return { kind: 'step_start', name, options: parsed.options };
}

// The path ends at the first ':' — a path containing ':' cannot be written with this marker.
function readArtifact(rest: string): MarkerEvent {
  const colon = rest.indexOf(':');
  const path = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  if (path === '') return malformed(`ARTIFACT:${rest} has an empty path`);
  const description = colon < 0 ? '' : rest.slice(colon + 1).trim();
  return { kind: 'artifact', path, description: description === '' ? null : description };
}

function readMeta(rest: string): MarkerEvent {
  const colon = rest.indexOf(':');
  if (colon < 0) return malformed(`META:${rest} has no ":" between key and value`);
  const key = rest.slice(0, colon).trim();
  if (key === '') return malformed(`META:${rest} has an empty key`);
  return { kind: 'meta', key, value: parseMarkerValue(rest.slice(colon + 1)) };
}

// The value is taken as printed, minus surrounding whitespace (and the `\r` of CRLF output).
function readMask(rest: string): MarkerEvent {
  const value = rest.trim();
  if (value === '') return malformed('MASK: has an empty value');
  return { kind: 'mask', value };
}

// `PROGRESS:42` or `PROGRESS:42:Compiling`: a whole or decimal percentage 0..100, then an optional message.
function readProgress(rest: string): MarkerEvent {
  const colon = rest.indexOf(':');
  const number = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const percent = /^\d{1,3}(?:\.\d{1,3})?$/.test(number) ? Number(number) : Number.NaN;
  if (!(percent >= 0 && percent <= 100)) return malformed(`PROGRESS:${rest} needs a percentage from 0 to 100`);
  const message = colon < 0 ? '' : rest.slice(colon + 1).trim();
  return { kind: 'progress', percent, message: message === '' ? null : message };
}

function malformed(warning: string): MarkerEvent {
  return { kind: 'malformed', warning };
}
