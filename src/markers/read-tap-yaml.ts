// Owns reading a TAP YAML diagnostics block (`  ---` … `  ...` after a test point) into an annotation, one line at a time.
import type { AnnotationLevel, MarkerEvent } from './marker-event.js';

/** What a YAML block said so far: the few keys StepFlow maps, read line by line (no YAML document is built). */
export interface TapYaml {
  /** Indentation of the block's `---`: keys at this level are the block's own. */
  indent: number;
  /** Name and outcome of the test point the block follows. */
  point: string;
  failed: boolean;
  message: string | null;
  error: string | null;
  severity: string | null;
  file: string | null;
  line: number | null;
  col: number | null;
  /** The key whose value is on the next, deeper lines: `at:` (a map) or a block scalar (`error: |-`). */
  open: 'at' | 'message' | 'error' | null;
}

/** Longest value kept from a YAML line; diagnostics past it are cut. */
const MAX_VALUE = 65_536;
const KEY_VALUE = /^([A-Za-z_][\w-]{0,63}):(?:[ \t]+(.*))?$/;
// `file:line:col`, bare or in a stack frame's parentheses: `at: Test.<anonymous> (test/a.js:12:5)`.
const PLACE = /\(?([^\s()]+?):(\d{1,9}):(\d{1,9})\)?$/;
const LEVELS: Readonly<Record<string, AnnotationLevel>> = {
  fail: 'error',
  failure: 'error',
  error: 'error',
  'not ok': 'error',
  warn: 'warning',
  warning: 'warning',
  todo: 'notice',
  skip: 'notice',
  comment: 'notice',
  info: 'notice',
  notice: 'notice',
};

/** A block that opens after the test point `point`, at `indent`. */
export function openTapYaml(indent: number, point: string, failed: boolean): TapYaml {
  return {
    indent,
    point,
    failed,
    message: null,
    error: null,
    severity: null,
    file: null,
    line: null,
    col: null,
    open: null,
  };
}

/** Reads one line inside the block (not its `...`): a key of the block's own level, or a line under an open key. */
export function readTapYamlLine(yaml: TapYaml, text: string, indent: number): void {
  if (indent > yaml.indent && yaml.open !== null) return readNested(yaml, text);
  if (indent !== yaml.indent) return;
  yaml.open = null;
  const pair = KEY_VALUE.exec(text);
  if (pair === null) return;
  const key = (pair[1] as string).toLowerCase();
  const raw = (pair[2] ?? '').trim();
  if (raw === '' || /^[|>][-+]?$/.test(raw)) {
    yaml.open = key === 'at' ? 'at' : key === 'message' || key === 'error' ? key : null;
    return;
  }
  const value = scalar(raw);
  if (key === 'message' || key === 'error') yaml[key] = value;
  else if (key === 'severity') yaml.severity = value.toLowerCase();
  else if (key === 'at' || key === 'location') setPlace(yaml, value);
  else if (key === 'file') yaml.file = value;
  else if (key === 'line') yaml.line = position(value) ?? yaml.line;
  else if (key === 'column' || key === 'col') yaml.col = position(value) ?? yaml.col;
}

/**
 * The annotation the block gives on its `...` line: for a failed test point, or any block with a `severity`.
 * A passing test point's timing block (`duration_ms`) gives none.
 */
export function closeTapYaml(yaml: TapYaml): MarkerEvent | null {
  const level = yaml.severity === null ? (yaml.failed ? 'error' : null) : (LEVELS[yaml.severity] ?? null);
  if (level === null) return null;
  return {
    kind: 'annotation',
    level,
    message: yaml.message ?? yaml.error ?? `${yaml.point} failed`,
    file: yaml.file,
    line: yaml.line,
    col: yaml.line === null ? null : yaml.col,
    end_line: null,
    end_col: null,
    title: yaml.point,
    onTestPoint: true,
  };
}

function readNested(yaml: TapYaml, text: string): void {
  if (yaml.open === 'message' || yaml.open === 'error') {
    // A block scalar: its first line is the message (the rest is detail the log shows).
    if (yaml[yaml.open] === null && text !== '') yaml[yaml.open] = text.slice(0, MAX_VALUE);
    return;
  }
  const pair = KEY_VALUE.exec(text);
  if (pair === null) return;
  const key = (pair[1] as string).toLowerCase();
  const value = scalar((pair[2] ?? '').trim());
  if (key === 'file') yaml.file = value;
  else if (key === 'line') yaml.line = position(value) ?? yaml.line;
  else if (key === 'column' || key === 'col') yaml.col = position(value) ?? yaml.col;
}

function setPlace(yaml: TapYaml, value: string): void {
  const place = PLACE.exec(value);
  if (place === null) return;
  yaml.file = place[1] as string;
  yaml.line = position(place[2] as string);
  yaml.col = position(place[3] as string);
}

/** A positive whole number, or null. */
function position(value: string): number | null {
  return /^\d{1,9}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** A YAML flow scalar as text: quotes removed ('' and \" undone), cut at MAX_VALUE. */
function scalar(raw: string): string {
  const quote = raw[0];
  let value = raw;
  if (raw.length >= 2 && quote === "'" && raw.endsWith("'")) value = raw.slice(1, -1).replace(/''/g, "'");
  else if (raw.length >= 2 && quote === '"' && raw.endsWith('"')) value = raw.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return value.slice(0, MAX_VALUE);
}
