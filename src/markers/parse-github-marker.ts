// Owns the GitHub Actions workflow-command dialect: `::cmd k=v,k=v::data` at line start -> a marker event.
import type { AnnotationLevel, AnnotationPlace, MarkerEvent } from './marker-event.js';

/** A GitHub command event, or the request to pause command parsing until `::token::` (stop-commands). */
export type GithubMarker = MarkerEvent | { kind: 'stop_commands'; token: string };

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
const COMMAND = /^::([A-Za-z][A-Za-z-]{0,31})(?: ([^:]*))?::/;
const LEVELS: ReadonlySet<string> = new Set(['error', 'warning', 'notice']);
const GROUP_END: MarkerEvent = Object.freeze({ kind: 'group_end', key: null, status: null, message: null });

/**
 * Reads one line that already starts with `::` (leading whitespace removed). Unknown or malformed
 * commands are plain text, as on GitHub; properties of commands other than annotations are ignored. Names are case-insensitive; data is %-decoded.
 */
export function parseGithubMarker(line: string): GithubMarker {
  // The two commands scripts print most, as they are printed, skip the general grammar (same result).
  if (line === '::endgroup::' || line === '::endgroup::\r') return GROUP_END;
  if (line.startsWith('::group::')) return readGroup(decodeData(withoutCr(line.slice(9))));
  const match = COMMAND.exec(line);
  if (match === null) return TEXT;
  const name = (match[1] as string).toLowerCase();
  const data = decodeData(line.slice(match[0].length).replace(/\r$/, ''));
  const properties = match[2] ?? '';
  if (LEVELS.has(name)) return readAnnotation(name as AnnotationLevel, properties, data);
  switch (name) {
    case 'group':
      return readGroup(data);
    case 'endgroup':
      return GROUP_END;
    case 'add-mask': {
      const printed = line.slice(match[0].length).replace(/\r$/, '').trim();
      if (data.trim() === '') return TEXT;
      return printed === data.trim() ? { kind: 'mask', value: printed } : { kind: 'mask', value: data.trim(), printed };
    }
    case 'stop-commands':
      return data.trim() === '' ? TEXT : { kind: 'stop_commands', token: data.trim() };
    default:
      // debug, echo, matchers and unknown names change nothing StepFlow shows: the line stays text.
      return TEXT;
  }
}

function readGroup(data: string): MarkerEvent {
  const name = data.trim();
  return { kind: 'group_start', name: name === '' ? 'group' : name, key: null, collapsed: true, closing: 'explicit' };
}

function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function readAnnotation(level: AnnotationLevel, properties: string, message: string): MarkerEvent {
  const place: AnnotationPlace = { file: null, line: null, col: null, end_line: null, end_col: null, title: null };
  for (const pair of properties === '' ? [] : properties.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) return TEXT;
    const key = pair.slice(0, at).trim().toLowerCase();
    const value = decodeProperty(pair.slice(at + 1));
    if (!setPlace(place, key, value)) return TEXT;
  }
  return { kind: 'annotation', level, message, ...place };
}

const NUMBER_KEYS: Readonly<Record<string, keyof AnnotationPlace>> = {
  line: 'line',
  col: 'col',
  endline: 'end_line',
  endcolumn: 'end_col',
};

// An unknown key is ignored as GitHub does; a position that is not a positive integer makes the command text.
function setPlace(place: AnnotationPlace, key: string, value: string): boolean {
  if (key === 'file') place.file = value;
  else if (key === 'title') place.title = value;
  else if (key in NUMBER_KEYS) {
    if (!/^\d{1,9}$/.test(value) || Number(value) < 1) return false;
    (place as unknown as Record<string, number>)[NUMBER_KEYS[key] as string] = Number(value);
  }
  return true;
}

/** Undoes the data escapes: %25 -> %, %0D -> CR, %0A -> LF. */
function decodeData(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(
    /%(25|0D|0A)/gi,
    (_all, code: string) => ({ '25': '%', '0D': '\r', '0A': '\n' })[code.toUpperCase()] ?? '',
  );
}

/** Undoes the property escapes: the data ones plus %3A -> ':' and %2C -> ','. */
function decodeProperty(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(
    /%(25|0D|0A|3A|2C)/gi,
    (_all, code: string) => ({ '25': '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[code.toUpperCase()] ?? '',
  );
}
