// Owns the closing summary of `run`: status, duration, exit code, step counts, error and artifacts.
import type { WireArtifact, WireExecution, WireStep } from '../core/wire-types.js';
import type { Colors } from './color-status.js';
import { colorExecutionStatus } from './describe-execution-status.js';
import { formatBytes, formatDuration } from './format-units.js';

/** What the summary is made of: the final execution as the server has it. */
export interface SummaryInput {
  execution: WireExecution;
  steps: WireStep[];
  artifacts: WireArtifact[];
  /** Server URL that relative download URLs are shown under. */
  baseUrl?: string;
}

/** Builds the summary lines (no trailing newlines); the script's own text never appears here. `Host` is where it ran. */
export function formatSummary({ execution, steps, artifacts, baseUrl = '' }: SummaryInput, colors: Colors): string[] {
  const exit = execution.exit_code === null ? '' : `, exit code ${execution.exit_code}`;
  const lines = [
    colors.bold(
      `Execution ${execution.id} ${colorExecutionStatus(execution, colors)} in ${formatDuration(execution.duration_seconds)}${exit}`,
    ),
    `Steps: ${formatStepCounts(steps)}`,
  ];
  if (execution.host) lines.push(`Host: ${execution.host}`);
  if (execution.error_message) lines.push(`Error: ${execution.error_message}`);
  lines.push(`Artifacts: ${artifacts.length === 0 ? 'none' : artifacts.length}`);
  for (const artifact of artifacts) {
    lines.push(
      `  ${artifact.file_name || artifact.name}  ${formatBytes(artifact.file_size)}  ${artifact.download_url.startsWith('/') ? baseUrl + artifact.download_url : artifact.download_url}`,
    );
  }
  return lines;
}

/** Counts steps as "2 passed, 1 failed" plus cancelled/skipped/unfinished ones when there are any. */
export function formatStepCounts(steps: WireStep[]): string {
  const count = (wanted: (status: WireStep['status']) => boolean): number =>
    steps.filter((step) => wanted(step.status)).length;
  const parts = [`${count((s) => s === 'completed')} passed`, `${count((s) => s === 'failed')} failed`];
  const cancelled = count((s) => s === 'cancelled');
  const skipped = count((s) => s === 'skipped');
  const unfinished = count((s) => s === 'pending' || s === 'running');
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  if (unfinished > 0) parts.push(`${unfinished} not finished`);
  return `${parts.join(', ')} (${steps.length} total)`;
}
