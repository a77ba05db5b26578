// Owns the `stepflow list` table: id, status, name, started, duration, steps, in padded columns.
import type { WireExecution } from '../core/wire-types.js';
import type { Colors } from './color-status.js';
import { colorExecutionStatus, describeExecutionStatus } from './describe-execution-status.js';
import { formatDuration, formatLocalTime } from './format-units.js';

const NAME_WIDTH = 40;

/** Builds the table's lines (header first); colour is added after padding so columns line up either way. */
export function formatExecutionTable(executions: WireExecution[], colors: Colors): string[] {
  const header = ['ID', 'STATUS', 'NAME', 'STARTED', 'DURATION', 'STEPS'];
  const rows = executions.map((execution) => [
    String(execution.id),
    describeExecutionStatus(execution),
    shortenName(execution.name),
    formatLocalTime(execution.started_at),
    formatDuration(execution.duration_seconds),
    `${execution.completed_steps}/${execution.total_steps}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (cells: string[]): string[] => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0));
  const lines = [colors.bold(pad(header).join('  ').trimEnd())];
  rows.forEach((row, i) => {
    const cells = pad(row);
    const execution = executions[i];
    if (execution) cells[1] = colorExecutionStatus(execution, colors, cells[1]);
    lines.push(cells.join('  ').trimEnd());
  });
  return lines;
}

// Names come from users and scripts: one line, no control characters, and short enough for a table.
function shortenName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters would break the table's layout
  const flat = name.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const chars = [...flat];
  return chars.length > NAME_WIDTH ? `${chars.slice(0, NAME_WIDTH - 1).join('')}…` : flat;
}
