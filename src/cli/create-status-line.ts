// Owns the status line `run` redraws at the bottom of a terminal: spinner, current step, elapsed time.
import { clearLine, cursorTo } from 'node:readline';
import type { WireStep } from '../core/wire-types.js';
import type { Colors } from './color-status.js';
import { formatDuration } from './format-units.js';

/** A stream the status line draws on; `columns` is there on a TTY. */
export type StatusStream = Pick<NodeJS.WriteStream, 'write'> & { columns?: number | undefined };

/** The drawn line: clear it before writing anything else, stop it when done. */
export interface StatusLine {
  /** Removes the line if it is drawn (it comes back at the next redraw). */
  clear(): void;
  /** Removes the line and stops redrawing it. */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Starts redrawing "running · step 2: Test · 12s" every 100 ms; it uses cursor movement, so only on a TTY. */
export function createStatusLine(
  out: StatusStream,
  colors: Colors,
  currentStep: () => WireStep | undefined,
  now: () => number = Date.now,
): StatusLine {
  const started = now();
  let drawn = false;
  let frame = 0;
  const clear = (): void => {
    if (!drawn) return;
    clearLine(out as NodeJS.WriteStream, 0);
    cursorTo(out as NodeJS.WriteStream, 0);
    drawn = false;
  };
  const draw = (): void => {
    frame = (frame + 1) % SPINNER.length;
    const current = currentStep();
    const where = current ? ` · step ${current.index + 1}: ${current.name}` : '';
    const text = `${SPINNER[frame]} running${where} · ${formatDuration((now() - started) / 1000)}`;
    clear();
    // A status line wider than the terminal would wrap, and clearLine would then leave its first half behind.
    const width = out.columns !== undefined && out.columns > 20 ? out.columns - 1 : 79;
    out.write(colors.dim([...text].slice(0, width).join('')));
    drawn = true;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    clear,
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}
