// Owns what every scenario is handed: where to send load, how big to make it, and where to note correctness failures.
import type { BenchTarget } from './bench-target.js';

/** Shared state of one benchmark invocation. */
export interface BenchContext {
  target: BenchTarget;
  quick: boolean;
  /** Processes the HTTP load generator spreads its connections over (scenarios 1 and 3). */
  loadWorkers: number;
  /** Correctness failures (lines missing, executions not complete); any of them makes the run exit non-zero. */
  failures: string[];
}

/** Notes a correctness failure and prints it at once, so it is seen beside the scenario that found it. */
export function noteFailure(context: BenchContext, message: string): void {
  context.failures.push(message);
  console.log(`  FAILED: ${message}`);
}
