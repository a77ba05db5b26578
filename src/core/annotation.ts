// Owns the annotation domain types: an error, warning or notice a script reported, pointing at a file and a log line.

/** The severity of an annotation, in GitHub's words (Azure, TeamCity and TAP map onto them). */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Every annotation level, most severe first. */
export const ANNOTATION_LEVELS: readonly AnnotationLevel[] = ['error', 'warning', 'notice'];

/** How many annotations of each level an execution reported, kept or not. */
export type AnnotationCounts = Record<AnnotationLevel, number>;

/** An annotation as the engine reports it. Positions start at 1; `log_line` is the line that made it. */
export interface Annotation {
  level: AnnotationLevel;
  message: string;
  file: string | null;
  line: number | null;
  col: number | null;
  end_line: number | null;
  end_col: number | null;
  title: string | null;
  /** Index of the innermost open step when it was reported, or null. */
  step_index: number | null;
  log_line: number;
  at: number;
}

/** An annotation as stored. */
export interface AnnotationRecord extends Annotation {
  id: number;
  execution_id: number;
}
