// Owns reading one output line with every dialect an execution chose, in a fixed order, with command pauses honoured.
import type { MarkerScanner } from './create-marker-scanner.js';
import type { MarkerEvent } from './marker-event.js';
import { parseAzureMarker } from './parse-azure-marker.js';
import { parseBuildkiteMarker } from './parse-buildkite-marker.js';
import { parseGithubMarker } from './parse-github-marker.js';
import { parseGitlabMarker } from './parse-gitlab-marker.js';
import { parseStepflowMarker } from './parse-stepflow-marker.js';
import { parseTapMarker } from './parse-tap-marker.js';
import { parseTeamcityMarker } from './parse-teamcity-marker.js';
import { STEPFLOW_STARTS } from './plain-line-starts.js';

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
/** Longer lines are never read as markers of the other dialects: every command they define fits in far less. */
const MAX_DIALECT_LINE = 65_536;

/**
 * Reads one line. StepFlow's own markers are tried first; then the dialect chosen by the line's first
 * character (after leading whitespace), so a plain line costs one character look per dialect family.
 * TAP reads stdout only, as TAP harnesses do. While commands are paused (GitHub `stop-commands`, TeamCity
 * `disableServiceMessages`) every line is text except the one that resumes them.
 */
export function scanMarkerLine(scanner: MarkerScanner, line: string, stream: 'stdout' | 'stderr'): MarkerEvent {
  if (scanner.pausedUntil !== null || scanner.serviceMessagesOff) return resumeOrText(scanner, line);
  const dialects = scanner.reads;
  const tap = dialects.tap && stream === 'stdout';
  if (tap && scanner.tap.yamlIndent !== null) return parseTapMarker(line, scanner.tap);
  // Most output starts with a character no chosen dialect begins a command with: one table look decides it.
  if (scanner.plainStarts[line.charCodeAt(0)] === 1) {
    if (tap) scanner.tap.afterTestPoint = false;
    return TEXT;
  }
  const start = firstVisible(line);
  const first = line.charCodeAt(start);
  if (dialects.stepflow && mayStartStepflowMarker(scanner, first)) {
    const own = parseStepflowMarker(line, scanner.mode);
    if (own.kind !== 'text') return own;
  }
  if (!scanner.others || start >= line.length || line.length > MAX_DIALECT_LINE) return TEXT;
  const event = readByFirstCharacter(scanner, line, start, first);
  if (event !== null) return event;
  if (tap && isTapCandidate(scanner, line, start, first)) return parseTapMarker(line, scanner.tap);
  if (tap) scanner.tap.afterTestPoint = false;
  return TEXT;
}

/**
 * Whether StepFlow's parser could find a marker: at line start its tokens begin with S, A, M, P or `::` (either case),
 * possibly after ANSI codes or whitespace other than spaces and tabs; any other printable ASCII start is plain text,
 * which spares the parser's scan of the line. In `anywhere` mode every line is read.
 */
function mayStartStepflowMarker(scanner: MarkerScanner, first: number): boolean {
  if (scanner.mode !== 'line_start' || Number.isNaN(first) || first < 33 || first > 126) return true;
  return STEPFLOW_STARTS.has(first);
}

/** Index of the first character that is not a space or a tab (no copy of the line). */
function firstVisible(line: string): number {
  let at = 0;
  while (at < line.length && (line.charCodeAt(at) === 32 || line.charCodeAt(at) === 9)) at++;
  return at;
}

/** The command of the dialect a line's first character names, or null when no chosen dialect starts that way. */
function readByFirstCharacter(scanner: MarkerScanner, line: string, start: number, first: number): MarkerEvent | null {
  const dialects = scanner.reads;
  if (first === COLON)
    return dialects.github && line.startsWith('::', start) ? readGithub(scanner, line.slice(start)) : null;
  if (first === HASH && line.startsWith('##', start)) {
    if (dialects.teamcity && line.startsWith('##teamcity[', start)) return readTeamcity(scanner, line.slice(start));
    return dialects.azure ? parseAzureMarker(line.slice(start)) : null;
  }
  if (
    (first === ESC || first === LOWER_S) &&
    dialects.gitlab &&
    (line.startsWith('section_', start) || line.startsWith('\x1b[0Ksection_', start))
  ) {
    const event = parseGitlabMarker(line.slice(start));
    return event.kind === 'text' ? null : event;
  }
  // Buildkite reads headers in the first column only: an indented `--- ` is output (a YAML list, a diff).
  if (
    start === 0 &&
    HEADER_STARTS.has(first) &&
    line.charCodeAt(1) === first &&
    line.charCodeAt(2) === first &&
    dialects.buildkite
  ) {
    const event = parseBuildkiteMarker(line);
    return event.kind === 'text' ? null : event;
  }
  return null;
}

/** Whether TAP could read anything in the line: a test point, a subtest, a bail-out, or a YAML block after a test point. */
function isTapCandidate(scanner: MarkerScanner, line: string, start: number, first: number): boolean {
  if (first === LOWER_O) return line.startsWith('ok', start) && !isWordCharacter(line.charCodeAt(start + 2));
  if (first === LOWER_N) return line.startsWith('not ok', start) && !isWordCharacter(line.charCodeAt(start + 6));
  if (first === HASH) return line.startsWith('# Subtest', start);
  if (first === UPPER_B) return line.startsWith('Bail out!', start);
  return first === DASH && scanner.tap.afterTestPoint;
}

/** `\w` as TAP's `ok\b` means it: a letter, digit or underscore (NaN, past the end, is not). */
function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

const COLON = 58;
const HASH = 35;
const ESC = 27;
const DASH = 45;
const LOWER_S = 115;
const LOWER_O = 111;
const LOWER_N = 110;
const UPPER_B = 66;
const HEADER_STARTS: ReadonlySet<number> = new Set([DASH, 43, 126, 94]);

function readGithub(scanner: MarkerScanner, line: string): MarkerEvent {
  const event = parseGithubMarker(line);
  if (event.kind !== 'stop_commands') return event;
  scanner.pausedUntil = event.token;
  return TEXT;
}

function readTeamcity(scanner: MarkerScanner, line: string): MarkerEvent {
  const event = parseTeamcityMarker(line);
  if (event.kind !== 'service_messages') return event;
  scanner.serviceMessagesOff = !event.enabled;
  return TEXT;
}

function resumeOrText(scanner: MarkerScanner, line: string): MarkerEvent {
  const text = line.trim();
  if (scanner.pausedUntil !== null && text === `::${scanner.pausedUntil}::`) scanner.pausedUntil = null;
  else if (scanner.serviceMessagesOff && text === '##teamcity[enableServiceMessages]')
    scanner.serviceMessagesOff = false;
  return TEXT;
}
