// Owns SQLite's side of the shared row mappers (store/row-mappers.ts): boolean columns stored as 0/1.
import type { Selectable } from 'kysely';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { StepRecord, StepState } from '../../core/step.js';
import { artifactToRow, rowToArtifact, rowToStep, stepToRow, type FlagCodec } from '../row-mappers.js';
import type { ArtifactsRow, StepsRow } from '../table-rows.js';

const FLAGS: FlagCodec<number> = { write: (value) => (value ? 1 : 0), read: (stored) => stored === 1 };

/** The columns of a step row (without its id, and without parent_id, which the store resolves from parent_idx). */
export function toStepRow(executionId: number, step: StepState): Omit<StepsRow<number>, 'id' | 'parent_id'> {
  return stepToRow(FLAGS, executionId, step);
}

/** A step record from its row. */
export function toStepRecord(row: Selectable<StepsRow<number>>): StepRecord {
  return rowToStep(FLAGS, row);
}

/** The columns of an artifact row (without its id). */
export function toArtifactRow(input: Omit<ArtifactRecord, 'id'>): Omit<ArtifactsRow<number>, 'id'> {
  return artifactToRow(FLAGS, input);
}

/** An artifact record from its row. */
export function toArtifactRecord(row: Selectable<ArtifactsRow<number>>): ArtifactRecord {
  return rowToArtifact(FLAGS, row);
}
