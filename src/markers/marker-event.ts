// Owns the result type of parsing one output line for markers, the same for every dialect.

/** How a step opened by a marker ends: by its own close marker, or when the next header of its kind starts. */
export type StepClosing = 'explicit' | 'next_header';

import type { AnnotationLevel } from '../core/annotation.js';

export type { AnnotationLevel } from '../core/annotation.js';

/** Where in a source file an annotation points; every field is optional, as in GitHub's command. */
export interface AnnotationPlace {
  file: string | null;
  line: number | null;
  col: number | null;
  end_line: number | null;
  end_col: number | null;
  title: string | null;
}

/** A recognised marker, or plain text, or a line that looked like a marker but was malformed. */
export type MarkerEvent =
  | { kind: 'text' }
  | { kind: 'step_start'; name: string; options: Record<string, unknown> }
  | { kind: 'step_complete'; name: string }
  | { kind: 'step_error'; message: string }
  | { kind: 'artifact'; path: string; description: string | null }
  | { kind: 'meta'; key: string; value: unknown }
  /**
   * `MASK:value`, GitHub's `::add-mask::value`, Azure's `task.setsecret`: hide `value` from here on.
   * `printed` is the value as escaped in the marker line when that differs, so the line hides it too.
   */
  | { kind: 'mask'; value: string; printed?: string }
  | { kind: 'malformed'; warning: string }
  /**
   * A group, section or block opens a step nested in the innermost open one. `key` names it for a
   * close marker that says which one it closes (GitLab section names, TeamCity block names).
   */
  | {
      kind: 'group_start';
      name: string;
      key: string | null;
      collapsed: boolean;
      closing: StepClosing;
      /** When the script says the group started (GitLab's section timestamp), ms since the epoch; the engine bounds it. */
      printedAt?: number;
    }
  /** Closes the open step named `key` and every step inside it, or the innermost group when `key` is null. */
  | {
      kind: 'group_end';
      key: string | null;
      status: 'completed' | 'failed' | 'skipped' | null;
      message: string | null;
      /** When the script says the group ended (GitLab's section timestamp), ms since the epoch; the engine bounds it. */
      printedAt?: number;
    }
  /** Buildkite's `^^^ +++`: the previous header's step is to be shown expanded (it holds a failure). */
  | { kind: 'group_expand' }
  /** Sets the outcome of the innermost open step without closing it (Azure task.complete). */
  | { kind: 'step_result'; status: 'completed' | 'failed'; message: string | null }
  /** One TAP test point: a step that opens and closes on its own line. */
  | { kind: 'test_point'; name: string; status: 'completed' | 'failed' | 'skipped'; message: string | null }
  /** `onTestPoint`: a TAP YAML diagnostic, reported on the step of the test point it follows (not the open step). */
  | ({ kind: 'annotation'; level: AnnotationLevel; message: string; onTestPoint?: true } & AnnotationPlace)
  /** Progress of the innermost open step: a percentage 0..100 and/or a message. */
  | { kind: 'progress'; percent: number | null; message: string | null }
  /** A Markdown file to show as the innermost open step's summary. */
  | { kind: 'summary'; path: string };

/** Where a marker token may appear: only at line start (ours), or anywhere (the old tool's mode). */
export type MarkerMatchMode = 'line_start' | 'anywhere';
