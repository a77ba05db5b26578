// Owns what `stepflow run` shows while it follows: step headers and results, the script's lines, notices, and a status line on a TTY.
import { clearLine, cursorTo } from 'node:readline';
import type { WireLogLine, WireStep } from '../core/wire-types.js';
import { colorStatus, type Colors } from './color-status.js';
import { formatLogLine } from './format-log-line.js';
import { formatDuration } from './format-units.js';

/** A stream the printer writes to; `columns` is there on a TTY. */
export type PrinterStream = Pick<NodeJS.WriteStream, 'write'> & { columns?: number | undefined };

/** Where and how the printer writes. */
export interface RunPrinterOptions {
  out: PrinterStream;
  err: PrinterStream;
  colors: Colors;
  /** Draw a redrawn status line at the bottom (TTY only: it uses cursor movement). */
  statusLine: boolean;
  now?: () => number;
}

/** The run view, fed by followExecution's handlers. */
export interface RunPrinter {
  line(line: WireLogLine): void;
  step(step: WireStep): void;
  notice(message: string): void;
  /** Writes lines of StepFlow's own (header, summary) on stdout. */
  say(text: string): void;
  /** Removes the status line and stops redrawing it. */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Creates the printer; with `statusLine` it redraws "running · step 2: Test · 12s" every 100 ms until stop(). */
export function createRunPrinter(options: RunPrinterOptions): RunPrinter {
  const { out, err, colors } = options;
  const now = options.now ?? Date.now;
  const shown = new Map<string, WireStep['status']>();
  const started = now();
  let current: WireStep | undefined;
  let statusDrawn = false;
  let frame = 0;
  const clearStatus = (): void => {
    if (!statusDrawn) return;
    clearLine(out as NodeJS.WriteStream, 0);
    cursorTo(out as NodeJS.WriteStream, 0);
    statusDrawn = false;
  };
  const write = (stream: PrinterStream, text: string): void => {
    clearStatus();
    stream.write(text);
  };
  const timer = options.statusLine ? setInterval(() => drawStatus(), 100) : undefined;
  timer?.unref();
  const drawStatus = (): void => {
    frame = (frame + 1) % SPINNER.length;
    const where = current ? ` · step ${current.index + 1}: ${current.name}` : '';
    const text = `${SPINNER[frame]} running${where} · ${formatDuration((now() - started) / 1000)}`;
    clearStatus();
    // A status line wider than the terminal would wrap, and clearLine would then leave its first half behind.
    const width = out.columns !== undefined && out.columns > 20 ? out.columns - 1 : 79;
    out.write(colors.dim([...text].slice(0, width).join('')));
    statusDrawn = true;
  };
  return {
    line: (line) => write(out, formatLogLine(line, colors)),
    step(step) {
      const text = describeStepChange(step, shown.get(step.id), colors);
      shown.set(step.id, step.status);
      if (step.status === 'running') current = step;
      else if (current?.id === step.id) current = undefined;
      if (text !== null) write(out, `${text}\n`);
    },
    notice: (message) => write(err, `stepflow: ${message}\n`),
    say: (text) => write(out, `${text}\n`),
    stop() {
      if (timer) clearInterval(timer);
      clearStatus();
    },
  };
}

/** The line for a step's change from `before` to its status, or null when nothing new is to be said. */
export function describeStepChange(step: WireStep, before: WireStep['status'] | undefined, colors: Colors): string | null {
  if (step.status === before || step.status === 'pending') return null;
  const label = `Step ${step.index + 1}: ${step.name}`;
  if (step.status === 'running') return before === undefined || before === 'pending' ? colors.bold(`==> ${label}`) : null;
  if (step.status === 'skipped') return `--- ${label} ${colorStatus('skipped', colors)}`;
  const exit = step.exit_code !== null && step.exit_code !== 0 ? ` (exit code ${step.exit_code})` : '';
  const reason = step.error_message ? `: ${step.error_message}` : '';
  return `<== ${label} ${colorStatus(step.status, colors)} in ${formatDuration(step.duration_seconds)}${exit}${reason}`;
}
