// Owns what `stepflow run --json` prints for programs: one JSON object per line for each event, the summary last.
import type { WireStep } from '../core/wire-types.js';
import type { PrinterStream, RunPrinter } from './create-run-printer.js';

/**
 * Creates the JSON-lines view: `{"type":"created"|"step"|"line"|"finished","data":…}` on `out`, each on one line,
 * every log line as stored (markers included), a step each time its status changes; notices stay text on `err`.
 */
export function createJsonRunPrinter(out: PrinterStream, err: PrinterStream): RunPrinter {
  const shown = new Map<string, WireStep['status']>();
  let dashboardUrl = '';
  // JSON.stringify escapes every control character, so a script's bytes can never break the one-object-per-line framing.
  const emit = (type: string, data: unknown): void => {
    out.write(`${JSON.stringify({ type, data })}\n`);
  };
  return {
    started(execution, url) {
      dashboardUrl = url;
      emit('created', { execution, dashboard_url: url });
    },
    line: (line) => emit('line', line),
    step(step) {
      if (shown.get(step.id) === step.status) return;
      shown.set(step.id, step.status);
      emit('step', step);
    },
    notice: (message) => err.write(`stepflow: ${message}\n`),
    finished: (result, exitCode) => emit('finished', { ...result, dashboard_url: dashboardUrl, exit_code: exitCode }),
    stop: () => undefined,
  };
}
