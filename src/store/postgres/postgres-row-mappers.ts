// Owns PostgreSQL's side of the shared row mappers (store/row-mappers.ts): boolean columns, and log content stored
// JSON-encoded when it holds NUL.
import type { Selectable } from 'kysely';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { LogLine } from '../../core/log-line.js';
import type { StepRecord, StepState } from '../../core/step.js';
import { artifactToRow, decodeStream, rowToArtifact, rowToStep, stepToRow, type FlagCodec } from '../row-mappers.js';
import type { ArtifactsRow, StepsRow } from '../table-rows.js';
import type { PgLogLinesTable } from './postgres-tables.js';

const FLAGS: FlagCodec<boolean> = { write: (value) => value, read: (stored) => stored };

/** The columns of a step row (without its id, and without parent_id, which the store resolves from parent_idx). */
export function toPgStepRow(executionId: number, step: StepState): Omit<StepsRow<boolean>, 'id' | 'parent_id'> {
  return stepToRow(FLAGS, executionId, step);
}

/** A step record from its row. */
export function toPgStepRecord(row: Selectable<StepsRow<boolean>>): StepRecord {
  return rowToStep(FLAGS, row);
}

/** A log line from its row; escaped content was JSON-encoded because it held NUL characters. */
export function toPgLogLine(
  row: Pick<PgLogLinesTable, 'line' | 'ts' | 'stream' | 'step_index' | 'content' | 'escaped'>,
): LogLine {
  const content = row.escaped ? (JSON.parse(row.content) as string) : row.content;
  return { line: row.line, ts: row.ts, stream: decodeStream(row.stream), step_index: row.step_index, content };
}

/** The columns of an artifact row (without its id), field by field so extra properties never reach the INSERT. */
export function toPgArtifactRow(input: Omit<ArtifactRecord, 'id'>): Omit<ArtifactsRow<boolean>, 'id'> {
  return artifactToRow(FLAGS, input);
}

/** An artifact record from its row. */
export function toPgArtifactRecord(row: Selectable<ArtifactsRow<boolean>>): ArtifactRecord {
  return rowToArtifact(FLAGS, row);
}
