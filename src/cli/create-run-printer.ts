// Owns what `stepflow run` shows people while it follows: where to watch, step headers and results, the script's lines, the summary.
import type { WireExecution, WireLogLine, WireStep } from '../core/wire-types.js';
import type { MarkerEvent } from '../markers/marker-event.js';
import { colorStatus, type Colors } from './color-status.js';
import type { FollowResult } from './create-follow-cursor.js';
import { createStatusLine, type StatusStream } from './create-status-line.js';
import { formatLogLine } from './format-log-line.js';
import { formatSummary } from './format-summary.js';
import { formatDuration } from './format-units.js';
import { createMarkerLineReader, type MarkerLineView } from './is-marker-line.js';

/** A stream the printer writes to; `columns` is there on a TTY. */
export type PrinterStream = StatusStream;

/** Where and how the printer writes. */
export interface RunPrinterOptions {
  out: PrinterStream;
  err: PrinterStream;
  colors: Colors;
  /** Draw a redrawn status line at the bottom (TTY only: it uses cursor movement). */
  statusLine: boolean;
  /** Server URL that relative artifact download URLs are shown under. */
  baseUrl: string;
  now?: () => number;
}

/** The run view, fed by runCommand and followExecution's handlers; as text (this file) or JSON lines. */
export interface RunPrinter {
  /** The execution was created: where to watch it, then what it is. */
  started(execution: WireExecution, dashboardUrl: string): void;
  line(line: WireLogLine): void;
  step(step: WireStep): void;
  /** Something about the connection or a Ctrl-C; always on stderr. */
  notice(message: string): void;
  /** The execution ended; `exitCode` is what `stepflow run` exits with. */
  finished(result: FollowResult, exitCode: number): void;
  /** Removes the status line and stops redrawing it. */
  stop(): void;
}

/** Creates the text view; with `statusLine` it redraws "running · step 2: Test · 12s" every 100 ms until stop(). */
export function createRunPrinter(options: RunPrinterOptions): RunPrinter {
  const { out, err, colors } = options;
  const shown = new Map<string, WireStep['status']>();
  const progressShown = new Map<string, string>();
  let readLine = createMarkerLineReader([]);
  let current: WireStep | undefined;
  const status = options.statusLine ? createStatusLine(out, colors, () => current, options.now) : undefined;
  const write = (stream: PrinterStream, text: string): void => {
    status?.clear();
    stream.write(text);
  };
  const say = (text: string): void => write(out, `${text}\n`);
  return {
    started(execution, dashboardUrl) {
      say(`Dashboard: ${dashboardUrl}`);
      say(colors.bold(`Execution ${execution.id}: ${execution.name}`));
      readLine = createMarkerLineReader(execution.markers ?? []);
    },
    // A marker line is shown as the step header, annotation or summary line it causes, not as well in its raw form.
    line(line) {
      const view: MarkerLineView = readLine(line);
      if (view.show === 'line') write(out, formatLogLine(line, colors));
      else if (view.show === 'annotation') say(describeAnnotation(view.event, colors));
    },
    step(step) {
      const text = describeStepChange(step, shown.get(step.id), colors) ?? describeProgress(step, progressShown);
      shown.set(step.id, step.status);
      if (step.status === 'running') current = step;
      else if (current?.id === step.id) current = undefined;
      if (text !== null) say(text);
    },
    notice: (message) => write(err, `stepflow: ${message}\n`),
    finished(result) {
      status?.stop();
      for (const line of formatSummary({ ...result, baseUrl: options.baseUrl }, colors)) say(line);
    },
    stop: () => status?.stop(),
  };
}

/** An annotation as `run` prints it: `error src/a.ts:3:7 Title: message`. */
export function describeAnnotation(event: Extract<MarkerEvent, { kind: 'annotation' }>, colors: Colors): string {
  const place =
    event.file === null
      ? ''
      : ` ${event.file}${event.line === null ? '' : `:${event.line}`}${event.line !== null && event.col !== null ? `:${event.col}` : ''}`;
  const level =
    event.level === 'error'
      ? colors.red(event.level)
      : event.level === 'warning'
        ? colors.yellow(event.level)
        : colors.cyan(event.level);
  return `${level}${place} ${event.title === null ? '' : `${event.title}: `}${event.message.replace(/\r?\n/g, ' ')}`;
}

/** A running step's new progress, indented under its header; null when it did not change. */
function describeProgress(step: WireStep, shown: Map<string, string>): string | null {
  if (step.status !== 'running' || (step.progress === null && step.progress_message === null)) return null;
  const text = `${step.progress === null ? '' : `${step.progress}%`}${step.progress !== null && step.progress_message !== null ? ' ' : ''}${step.progress_message ?? ''}`;
  if (shown.get(step.id) === text) return null;
  shown.set(step.id, text);
  return `${'  '.repeat(step.depth ?? 0)}    ... ${text}`;
}

/** The line for a step's change from `before` to its status, or null when nothing new is to be said; nested steps are indented by depth. */
export function describeStepChange(
  step: WireStep,
  before: WireStep['status'] | undefined,
  colors: Colors,
): string | null {
  const text = describeOwnChange(step, before, colors);
  return text === null ? null : `${'  '.repeat(step.depth ?? 0)}${text}`;
}

function describeOwnChange(step: WireStep, before: WireStep['status'] | undefined, colors: Colors): string | null {
  if (step.status === before || step.status === 'pending') return null;
  const label = `Step ${step.index + 1}: ${step.name}`;
  if (step.status === 'running')
    return before === undefined || before === 'pending' ? colors.bold(`==> ${label}`) : null;
  if (step.status === 'skipped') return `--- ${label} ${colorStatus('skipped', colors)}`;
  const exit = step.exit_code !== null && step.exit_code !== 0 ? ` (exit code ${step.exit_code})` : '';
  // A cancelled step's message only repeats "cancelled".
  const reason = step.error_message && step.status !== 'cancelled' ? `: ${step.error_message}` : '';
  return `<== ${label} ${colorStatus(step.status, colors)} in ${formatDuration(step.duration_seconds)}${exit}${reason}`;
}
