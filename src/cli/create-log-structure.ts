// Owns how `stepflow logs` shows a log's structure: a step's opening marker line as its header, its closing marker as its result.
import type { WireLogLine, WireStep } from '../core/wire-types.js';
import type { Colors } from './color-status.js';
import { describeStepChange } from './create-run-printer.js';
import { formatLogLine } from './format-log-line.js';

/** Formats log lines (each with its newline), knowing the execution's steps; `step` takes a step as it changes. */
export interface LogStructure {
  line(line: WireLogLine): string;
  step(step: WireStep): void;
}

/**
 * Replaces the line that opened a step with `==> Step N: Name` and the marker that closed it with
 * `<== Step N: Name completed in 2s`, both indented by depth, as `stepflow run` prints them; every other
 * line is printed as stored (its final state after `\r`). The stored log keeps the markers (`--raw` prints them).
 */
export function createLogStructure(steps: readonly WireStep[], colors: Colors): LogStructure {
  const opened = new Map<number, WireStep>();
  const closed = new Map<number, WireStep>();
  const take = (step: WireStep): void => {
    if (step.first_line !== null) opened.set(step.first_line, step);
    if (step.close_line !== null) closed.set(step.close_line, step);
  };
  steps.forEach(take);
  return {
    line(line) {
      if (line.stream === 'system') return formatLogLine(line, colors);
      const closing = closed.get(line.line);
      if (closing !== undefined) return `${describeStepChange(closing, 'running', colors) ?? ''}\n`;
      const opening = opened.get(line.line);
      if (opening !== undefined)
        return `${describeStepChange({ ...opening, status: 'running' }, undefined, colors) ?? ''}\n`;
      return formatLogLine(line, colors);
    },
    step: take,
  };
}
