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
  const dialects = scanner.dialects;
  if (dialects.has('tap') && stream === 'stdout' && scanner.tap.yamlIndent !== null) return parseTapMarker(line, scanner.tap);
  if (dialects.has('stepflow')) {
    const own = parseStepflowMarker(line, scanner.mode);
    if (own.kind !== 'text') return own;
  }
  if (line.length > MAX_DIALECT_LINE) return TEXT;
  const start = line.length - line.trimStart().length;
  const first = line[start];
  const rest = start === 0 ? line : line.slice(start);
  if (first === ':' && dialects.has('github')) return readGithub(scanner, rest);
  if (first === '#' && rest.startsWith('##teamcity[') && dialects.has('teamcity')) return readTeamcity(scanner, rest);
  if (first === '#' && dialects.has('azure') && rest.startsWith('##')) return parseAzureMarker(rest);
  if ((first === '\x1b' || first === 's') && dialects.has('gitlab')) {
    const event = parseGitlabMarker(rest);
    if (event.kind !== 'text') return event;
  }
  // Buildkite reads headers in the first column only: an indented `--- ` is output (a YAML list, a diff).
  if (start === 0 && (first === '-' || first === '+' || first === '~' || first === '^') && dialects.has('buildkite')) return parseBuildkiteMarker(line);
  if (dialects.has('tap') && stream === 'stdout') return parseTapMarker(line, scanner.tap);
  return TEXT;
}

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
  else if (scanner.serviceMessagesOff && text === '##teamcity[enableServiceMessages]') scanner.serviceMessagesOff = false;
  return TEXT;
}
