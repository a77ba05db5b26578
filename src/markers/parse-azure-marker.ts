// Owns the Azure Pipelines dialect: `##[group]`-style formatting commands and `##vso[area.action k=v;…]data` logging commands.
import type { MarkerEvent } from './marker-event.js';

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
const FORMAT = /^##\[(group|endgroup|section|error|warning|debug|command)\]/i;
const GROUP_END: MarkerEvent = Object.freeze({ kind: 'group_end', key: null, status: null, message: null });
const LOGGING = /^##vso\[([a-z]{1,32}\.[a-z]{1,32})(?: ([^\]]*))?\]/i;

/**
 * Reads one line that starts with `##` (leading whitespace removed). Groups nest; `##[error]` and
 * `##[warning]` and `task.logissue` are annotations; `task.setprogress` is progress; `task.complete`
 * sets the open step's result; `artifact.upload` is an artifact; `task.setsecret` masks;
 * `task.uploadsummary` is the step's summary. Anything else is text.
 */
export function parseAzureMarker(line: string): MarkerEvent {
  if (line === '##[endgroup]' || line === '##[endgroup]\r') return GROUP_END;
  const format = FORMAT.exec(line);
  if (format !== null)
    return readFormat((format[1] as string).toLowerCase(), decode(line.slice(format[0].length).replace(/\r$/, '')));
  const logging = LOGGING.exec(line);
  if (logging === null) return TEXT;
  const properties = readProperties(logging[2] ?? '');
  if (properties === null) return TEXT;
  const raw = line.slice(logging[0].length).replace(/\r$/, '');
  return readLogging((logging[1] as string).toLowerCase(), properties, decode(raw), raw);
}

function readFormat(command: string, text: string): MarkerEvent {
  switch (command) {
    case 'group':
      return {
        kind: 'group_start',
        name: text.trim() === '' ? 'group' : text.trim(),
        key: null,
        collapsed: true,
        closing: 'explicit',
      };
    case 'endgroup':
      return GROUP_END;
    case 'error':
    case 'warning':
      return annotation(command, text, new Map());
    default:
      // section, debug and command are styles of a single line.
      return TEXT;
  }
}

function readLogging(command: string, properties: Map<string, string>, data: string, raw: string): MarkerEvent {
  switch (command) {
    case 'task.setprogress':
      return readProgress(properties.get('value'), data);
    case 'task.logissue': {
      const type = properties.get('type')?.toLowerCase();
      return type === 'error' || type === 'warning' ? annotation(type, data, properties) : TEXT;
    }
    case 'task.complete':
      return readResult(properties.get('result')?.toLowerCase(), data);
    case 'artifact.upload':
      return data.trim() === ''
        ? TEXT
        : { kind: 'artifact', path: data.trim(), description: properties.get('artifactname') ?? null };
    case 'task.setsecret':
      return readSecret(data, raw);
    case 'task.uploadsummary':
      return data.trim() === '' ? TEXT : { kind: 'summary', path: data.trim() };
    default:
      return TEXT;
  }
}

function readSecret(value: string, raw: string): MarkerEvent {
  if (value.trim() === '') return TEXT;
  return raw.trim() === value.trim()
    ? { kind: 'mask', value: value.trim() }
    : { kind: 'mask', value: value.trim(), printed: raw.trim() };
}

function readProgress(value: string | undefined, message: string): MarkerEvent {
  if (value === undefined || !/^\d{1,3}$/.test(value.trim()) || Number(value) > 100) return TEXT;
  return { kind: 'progress', percent: Number(value), message: message.trim() === '' ? null : message.trim() };
}

function readResult(result: string | undefined, message: string): MarkerEvent {
  const text = message.trim() === '' ? null : message.trim();
  if (result === 'succeeded' || result === 'succeededwithissues')
    return { kind: 'step_result', status: 'completed', message: text };
  if (result === 'failed')
    return { kind: 'step_result', status: 'failed', message: text ?? 'task.complete result=Failed' };
  return TEXT;
}

function annotation(level: 'error' | 'warning', message: string, properties: ReadonlyMap<string, string>): MarkerEvent {
  const get = (key: string): string | null => properties.get(key) ?? null;
  const number = (key: string): number | null => {
    const value = get(key);
    return value !== null && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;
  };
  const code = get('code');
  return {
    kind: 'annotation',
    level,
    message,
    file: get('sourcepath'),
    line: number('linenumber'),
    col: number('columnnumber'),
    end_line: null,
    end_col: null,
    title: code,
  };
}

/** `k=v;k=v` with keys case-insensitive; null when a pair has no `=` (a malformed command stays text). */
function readProperties(text: string): Map<string, string> | null {
  const properties = new Map<string, string>();
  for (const pair of text.split(';')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) return null;
    properties.set(pair.slice(0, at).trim().toLowerCase(), decode(pair.slice(at + 1)));
  }
  return properties;
}

/** Undoes the task-lib escapes: %AZP25 -> %, %0D, %0A, %5D -> ], %3B -> ;. */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(
    /%(AZP25|0D|0A|5D|3B)/gi,
    (_all, code: string) => ({ AZP25: '%', '0D': '\r', '0A': '\n', '5D': ']', '3B': ';' })[code.toUpperCase()] ?? '',
  );
}
