// Owns reading one output line with every dialect an execution chose, in a fixed order, with command pauses honoured.
import type { MarkerScanner } from './create-marker-scanner.js';
import type { MarkerEvent } from './marker-event.js';
import { parseAzureMarker } from './parse-azure-marker.js';
import { parseBuildkiteMarker } from './parse-buildkite-marker.js';
import { parseGithubMarker } from './parse-github-marker.js';
import { parseGitlabMarker } from './parse-gitlab-marker.js';
import { parseStepflowMarker } from './parse-stepflow-marker.js';
import { parseTapMarker, type TapState } from './parse-tap-marker.js';
import { parseTeamcityMarker } from './parse-teamcity-marker.js';
import { ROUTE } from './first-character-routes.js';

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
/** Longer lines are never read as markers of the other dialects: every command they define fits in far less. */
const MAX_DIALECT_LINE = 65_536;

/**
 * Reads one line. The line's first character picks, with one table look, the parsers that could read it
 * (StepFlow's own first, then the dialect that starts that way), so a plain line costs one lookup.
 * TAP reads stdout only, as TAP harnesses do. While commands are paused (GitHub `stop-commands`, TeamCity
 * `disableServiceMessages`) every line is text except the one that resumes them.
 */
export function scanMarkerLine(scanner: MarkerScanner, line: string, stream: 'stdout' | 'stderr'): MarkerEvent {
  if (scanner.pausedUntil !== null || scanner.serviceMessagesOff) return resumeOrText(scanner, line);
  const tap = stream === 'stdout' ? scanner.tapState : null;
  if (tap !== null && tap.yamlIndent !== null) return parseTapMarker(line, tap);
  if (scanner.stepflowAnywhere) {
    const own = parseStepflowMarker(line, 'anywhere');
    if (own.kind !== 'text') return endTapRun(tap, own);
  }
  const first = line.charCodeAt(0);
  const route = first < 128 ? (scanner.routes[first] as number) : wideRoute(scanner, first);
  if (route === 0) return endTapRun(tap, TEXT);
  return readRouted(scanner, line, route, first, tap);
}

/** A line TAP did not read ends the place right after a test point where a YAML block may start. */
function endTapRun(tap: TapState | null, event: MarkerEvent): MarkerEvent {
  if (tap !== null) tap.afterTestPoint = false;
  return event;
}

/** Reads a line whose first character some chosen dialect may start a command with. */
function readRouted(
  scanner: MarkerScanner,
  line: string,
  route: number,
  first: number,
  tap: TapState | null,
): MarkerEvent {
  let start = 0;
  if ((route & INDENT) !== 0) {
    start = firstVisible(line);
    if (start >= line.length) return endTapRun(tap, TEXT);
    first = line.charCodeAt(start);
    // Buildkite reads headers in the first column only: an indented `--- ` is output (a YAML list, a diff).
    route = (first < 128 ? (scanner.routes[first] as number) : wideRoute(scanner, first)) & ~(INDENT | BUILDKITE);
  }
  if ((route & STEPFLOW) !== 0 && mayBeStepflowToken(line, start, first)) {
    const own = parseStepflowMarker(line, 'line_start');
    if (own.kind !== 'text') return endTapRun(tap, own);
  }
  if (line.length > MAX_DIALECT_LINE) return endTapRun(tap, TEXT);
  const event = readOtherDialect(scanner, line, start, first, route);
  if (event !== null) return endTapRun(tap, event);
  if (tap !== null && (route & TAP) !== 0 && isTapCandidate(tap, line, start, first)) return parseTapMarker(line, tap);
  return endTapRun(tap, TEXT);
}

/**
 * The route of a line starting with a non-ASCII character (NaN: an empty line). Only Unicode whitespace, which
 * StepFlow's `^\s*` skips, can come before one of its tokens; any other character makes the line plain text.
 */
function wideRoute(scanner: MarkerScanner, first: number): number {
  const space =
    first === 0xa0 ||
    first === 0x1680 ||
    (first >= 0x2000 && first <= 0x200a) ||
    first === 0x2028 ||
    first === 0x2029 ||
    first === 0x202f ||
    first === 0x205f ||
    first === 0x3000 ||
    first === 0xfeff;
  return space ? scanner.wideRoute : 0;
}

/** Index of the first character that is not a space or a tab (no copy of the line). */
function firstVisible(line: string): number {
  let at = 0;
  while (at < line.length && (line.charCodeAt(at) === 32 || line.charCodeAt(at) === 9)) at++;
  return at;
}

/** The command of the dialect a line's first character names, or null when none of the routed dialects reads it. */
function readOtherDialect(
  scanner: MarkerScanner,
  line: string,
  start: number,
  first: number,
  route: number,
): MarkerEvent | null {
  if ((route & GITHUB) !== 0 && first === COLON && line.charCodeAt(start + 1) === COLON)
    return readGithub(scanner, line.slice(start));
  if ((route & HASH_ROUTE) !== 0 && first === HASH && line.charCodeAt(start + 1) === HASH) {
    if (scanner.reads.teamcity && line.startsWith('##teamcity[', start))
      return readTeamcity(scanner, line.slice(start));
    return scanner.reads.azure ? parseAzureMarker(line.slice(start)) : null;
  }
  if ((route & GITLAB) !== 0 && (line.startsWith('section_', start) || line.startsWith('\x1b[0Ksection_', start))) {
    const event = parseGitlabMarker(line.slice(start));
    return event.kind === 'text' ? null : event;
  }
  if ((route & BUILDKITE) !== 0 && isBuildkiteCandidate(line, first)) {
    const event = parseBuildkiteMarker(line);
    return event.kind === 'text' ? null : event;
  }
  return null;
}

/** `--- x`, `+++ x`, `~~~ x` or `^^^ +++` in the first column. */
function isBuildkiteCandidate(line: string, first: number): boolean {
  return line.charCodeAt(1) === first && line.charCodeAt(2) === first && (line.charCodeAt(3) === 32 || first === CARET);
}

/** Whether TAP could read anything in the line: a test point, a subtest, a bail-out, or a YAML block after a test point. */
function isTapCandidate(tap: TapState, line: string, start: number, first: number): boolean {
  if (first === LOWER_O) return line.charCodeAt(start + 1) === LOWER_K && !isWordCharacter(line.charCodeAt(start + 2));
  if (first === LOWER_N) return line.startsWith('not ok', start) && !isWordCharacter(line.charCodeAt(start + 6));
  if (first === HASH) return line.startsWith('# Subtest', start);
  if (first === UPPER_B) return line.startsWith('Bail out!', start);
  return first === DASH && tap.afterTestPoint;
}

/** `\w` as TAP's `ok\b` means it: a letter, digit or underscore (NaN, past the end, is not). */
function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

// Module-local copies: an imported binding may be read through a getter (as tsx's loader does), once per line.
const { stepflow: STEPFLOW, github: GITHUB, hash: HASH_ROUTE, gitlab: GITLAB, buildkite: BUILDKITE, tap: TAP } = ROUTE;
const INDENT = ROUTE.indent;
const ESC = 27;
const COLON = 58;
const HASH = 35;
const DASH = 45;
const CARET = 94;
const LOWER_O = 111;
const LOWER_K = 107;
const LOWER_N = 110;
const UPPER_B = 66;

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

/**
 * Whether StepFlow's parser could find a token at `start`: the second character must fit one of its tokens
 * (STEP_, SUMMARY, ARTIFACT, META, MASK, PROGRESS, `::add-mask::`); an ANSI code or a non-letter start lets the parser decide.
 */
function mayBeStepflowToken(line: string, start: number, first: number): boolean {
  const second = line.charCodeAt(start + 1) | 0x20;
  if (second === (ESC | 0x20)) return true;
  switch (first | 0x20) {
    case 0x73:
      return second === 0x74 || second === 0x75;
    case 0x61:
    case 0x70:
      return second === 0x72;
    case 0x6d:
      return second === 0x65 || second === 0x61;
    case 0x3a:
      return line.startsWith('::add-mask::', start);
    default:
      return true;
  }
}
