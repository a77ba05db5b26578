// Owns the log-line domain type.

/** Where a line came from: the child's stdout or stderr, or StepFlow itself (warnings, notices). */
export type LogStream = 'stdout' | 'stderr' | 'system';

/** One stored line of an execution's log. */
export interface LogLine {
  /** 1-based, contiguous within an execution. */
  line: number;
  /** Receive time, epoch milliseconds. */
  ts: number;
  stream: LogStream;
  /** Index of the step the line belongs to, or null for output outside any step. */
  step_index: number | null;
  content: string;
}
