// Owns the TAP 13/14 dialect: test points, subtests and YAML diagnostics blocks -> steps.
import type { MarkerEvent } from './marker-event.js';
import { closeTapYaml, openTapYaml, readTapYamlLine, type TapYaml } from './read-tap-yaml.js';

/** What the TAP reader remembers between lines of one stream: an open YAML block, the open subtests. */
export interface TapState {
  /** Indentation of the open YAML block's `---`, or null when none is open. */
  yamlIndent: number | null;
  /** Lines read inside the open YAML block (a block that never ends stops being one after MAX_YAML_LINES). */
  yamlLines: number;
  /** True right after a test point, the only place a YAML block may start. */
  afterTestPoint: boolean;
  /** The last test point's name and whether it failed, for the YAML block that may follow it. */
  point: { name: string; failed: boolean } | null;
  /** The open YAML block's diagnostics, read so far. */
  yaml: TapYaml | null;
  /** Body indentation of each open subtest, outermost first. */
  subtests: number[];
}

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
const MAX_YAML_LINES = 10_000;
const MAX_SUBTESTS = 16;
const TEST_POINT = /^(not )?ok\b[ \t]*(\d{1,9})?[ \t]*(?:- )?(.*)$/;
const DIRECTIVE = /(?<!\\)#[ \t]*(SKIP|TODO)\b[ \t]*(.*)$/i;
const SUBTEST = /^# Subtest(?::[ \t]*(.*))?$/;

/** A fresh TAP reader state. */
export function createTapState(): TapState {
  return { yamlIndent: null, yamlLines: 0, afterTestPoint: false, subtests: [], point: null, yaml: null };
}

/**
 * Reads one stdout line of a TAP stream, updating `state`. A test point is a step of its own
 * (`not ok` fails, `# SKIP` and a failing `# TODO` are skipped); `# Subtest: name` opens a step that the
 * test point one level out closes with its status; `Bail out!` is an error annotation. Lines inside a
 * YAML diagnostics block are text, never markers.
 */
export function parseTapMarker(line: string, state: TapState): MarkerEvent {
  const body = line.endsWith('\r') ? line.slice(0, -1) : line;
  let indent = 0;
  while (indent < body.length && (body.charCodeAt(indent) === 32 || body.charCodeAt(indent) === 9)) indent++;
  const text = indent === 0 ? body : body.slice(indent);
  if (state.yamlIndent !== null) return readYamlLine(state, text, indent);
  const afterTestPoint = state.afterTestPoint;
  state.afterTestPoint = false;
  if (afterTestPoint && text === '---' && indent > 0) {
    state.yamlIndent = indent;
    state.yamlLines = 0;
    state.yaml = state.point === null ? null : openTapYaml(indent, state.point.name, state.point.failed);
    return TEXT;
  }
  const subtest = text.startsWith('# Subtest') ? SUBTEST.exec(text) : null;
  if (subtest !== null) return openSubtest(state, indent, (subtest[1] ?? '').trim());
  if (text.startsWith('Bail out!')) return bailOut(text.slice(9).trim());
  const point = TEST_POINT.exec(text);
  if (point === null) return TEXT;
  state.afterTestPoint = true;
  return readTestPoint(state, indent, point);
}

/** A line inside a YAML block is text; the block's `...` gives its diagnostics as an annotation on its test point. */
function readYamlLine(state: TapState, text: string, indent: number): MarkerEvent {
  state.yamlLines++;
  const yaml = state.yaml;
  if (state.yamlLines > MAX_YAML_LINES) {
    state.yamlIndent = null;
    state.yaml = null;
    return TEXT;
  }
  if (text !== '...' || indent !== state.yamlIndent) {
    if (yaml !== null) readTapYamlLine(yaml, text, indent);
    return TEXT;
  }
  state.yamlIndent = null;
  state.yaml = null;
  return (yaml === null ? null : closeTapYaml(yaml)) ?? TEXT;
}

function openSubtest(state: TapState, indent: number, name: string): MarkerEvent {
  if (state.subtests.length >= MAX_SUBTESTS) return TEXT;
  const outer = state.subtests[state.subtests.length - 1] ?? 0;
  // TAP 14 indents the comment with the subtest's body; older producers print it at the parent's level.
  state.subtests.push(indent > outer ? indent : outer + 4);
  return {
    kind: 'group_start',
    name: name === '' ? 'subtest' : name,
    key: subtestKey(state.subtests.length - 1),
    collapsed: true,
    closing: 'explicit',
  };
}

function readTestPoint(state: TapState, indent: number, point: RegExpExecArray): MarkerEvent {
  const failedMark = point[1] !== undefined;
  const rest = point[3] ?? '';
  const directive = rest.includes('#') ? DIRECTIVE.exec(rest) : null;
  const described = (directive === null ? rest : rest.slice(0, directive.index)).trim();
  const description = described.includes('\\#') ? described.replace(/\\#/g, '#') : described;
  const name = description !== '' ? description : `test ${point[2] ?? ''}`.trim();
  const kind = directive?.[1]?.toUpperCase();
  const reason = directive?.[2]?.trim() ?? '';
  const status = kind === 'SKIP' || (kind === 'TODO' && failedMark) ? 'skipped' : failedMark ? 'failed' : 'completed';
  const message = kind !== undefined ? `${kind}${reason === '' ? '' : `: ${reason}`}` : failedMark ? 'not ok' : null;
  state.point = { name, failed: status === 'failed' };
  // The first subtest whose body is deeper than this line is the one this test point sums up.
  const closes = state.subtests.findIndex((bodyIndent) => bodyIndent > indent);
  if (closes >= 0) {
    state.subtests.length = closes;
    return { kind: 'group_end', key: subtestKey(closes), status, message: status === 'completed' ? null : message };
  }
  return { kind: 'test_point', name, status, message: status === 'completed' ? null : message };
}

function bailOut(reason: string): MarkerEvent {
  const message = reason === '' ? 'Bail out!' : `Bail out! ${reason}`;
  return {
    kind: 'annotation',
    level: 'error',
    message,
    file: null,
    line: null,
    col: null,
    end_line: null,
    end_col: null,
    title: 'TAP',
  };
}

/** The start of the keys of TAP subtest steps (never a name a script can print in another dialect). */
export const TAP_SUBTEST_KEY = '\0tap-subtest-';

function subtestKey(depth: number): string {
  return `${TAP_SUBTEST_KEY}${depth}`;
}
