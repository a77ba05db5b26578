// Owns the TeamCity service-message dialect: `##teamcity[name 'value']` / `##teamcity[name a='1' b='2']` with `|` escapes.
import type { MarkerEvent } from './marker-event.js';

/** A TeamCity event, or the request to stop/restart reading service messages (disable/enableServiceMessages). */
export type TeamcityMarker = MarkerEvent | { kind: 'service_messages'; enabled: boolean };

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
const MESSAGE =
  /^##teamcity\[([A-Za-z][A-Za-z0-9]{0,63})((?:\s+[A-Za-z][\w.]{0,63}\s*=\s*'(?:[^'|]|\|.)*')*|\s+'(?:[^'|]|\|.)*')\s*\]\s*$/;
const ATTRIBUTE = /([A-Za-z][\w.]{0,63})\s*=\s*'((?:[^'|]|\|.)*)'/g;

/**
 * Reads one line that starts with `##teamcity[` (leading whitespace removed). Blocks nest and
 * `blockClosed` closes its block and every block inside it; progress messages are progress;
 * `buildProblem` and `message status=WARNING|ERROR|FAILURE` are annotations; `publishArtifacts` is an
 * artifact. A message that breaks the grammar is text.
 */
export function parseTeamcityMarker(line: string): TeamcityMarker {
  const match = MESSAGE.exec(line.replace(/\r$/, ''));
  if (match === null) return TEXT;
  const name = match[1] as string;
  const body = (match[2] ?? '').trim();
  if (body.startsWith("'")) return readSingle(name, unescape(body.slice(1, -1)));
  const attributes = new Map<string, string>();
  for (const attribute of body.matchAll(ATTRIBUTE))
    attributes.set(attribute[1] as string, unescape(attribute[2] as string));
  return readAttributes(name, attributes);
}

function readSingle(name: string, value: string): TeamcityMarker {
  switch (name) {
    case 'progressMessage':
    case 'progressStart':
      return { kind: 'progress', percent: null, message: value };
    case 'progressFinish':
      return { kind: 'progress', percent: null, message: null };
    case 'publishArtifacts':
      return value.trim() === '' ? TEXT : { kind: 'artifact', path: value.trim(), description: null };
    case 'blockOpened':
      return openBlock(value);
    case 'blockClosed':
      return { kind: 'group_end', key: value, status: null, message: null };
    default:
      return TEXT;
  }
}

function readAttributes(name: string, attributes: ReadonlyMap<string, string>): TeamcityMarker {
  switch (name) {
    case 'blockOpened':
      return openBlock(attributes.get('name') ?? '');
    case 'blockClosed':
      return attributes.has('name')
        ? { kind: 'group_end', key: attributes.get('name') as string, status: null, message: null }
        : TEXT;
    case 'buildProblem':
      return attributes.has('description')
        ? annotate('error', attributes.get('description') as string, attributes.get('identity') ?? null)
        : TEXT;
    case 'buildStatus':
      return readBuildStatus(attributes);
    case 'message':
      return readMessage(attributes);
    case 'disableServiceMessages':
    case 'enableServiceMessages':
      return { kind: 'service_messages', enabled: name === 'enableServiceMessages' };
    default:
      return TEXT;
  }
}

function openBlock(name: string): MarkerEvent {
  if (name.trim() === '') return TEXT;
  return { kind: 'group_start', name: name.trim(), key: name, collapsed: true, closing: 'explicit' };
}

function readBuildStatus(attributes: ReadonlyMap<string, string>): MarkerEvent {
  const text = attributes.get('text');
  if (text === undefined) return TEXT;
  return annotate(attributes.get('status') === 'FAILURE' ? 'error' : 'notice', text, 'build status');
}

function readMessage(attributes: ReadonlyMap<string, string>): MarkerEvent {
  const text = attributes.get('text');
  const status = attributes.get('status') ?? 'NORMAL';
  if (text === undefined || status === 'NORMAL') return TEXT;
  const details = attributes.get('errorDetails');
  const message = details === undefined || details === '' ? text : `${text}\n${details}`;
  return annotate(status === 'WARNING' ? 'warning' : 'error', message, null);
}

function annotate(level: 'error' | 'warning' | 'notice', message: string, title: string | null): MarkerEvent {
  return {
    kind: 'annotation',
    level,
    message,
    file: null,
    line: null,
    col: null,
    end_line: null,
    end_col: null,
    title,
  };
}

/** Undoes TeamCity's escapes: |' |n |r || |[ |] and |0xNNNN. */
function unescape(text: string): string {
  if (!text.includes('|')) return text;
  return text.replace(/\|(0x[0-9A-Fa-f]{4}|.)/g, (_all, code: string) => {
    if (code.length === 6) return String.fromCharCode(Number.parseInt(code.slice(2), 16));
    return ({ "'": "'", n: '\n', r: '\r', '|': '|', '[': '[', ']': ']' } as Record<string, string>)[code] ?? code;
  });
}
