// Owns artifact rows in SQLite: create, read, list with filters and delete.
import type { ArtifactRecord } from '../../core/artifact.js';
import type { ArtifactFilter, NewArtifact } from '../store.js';
import { toArtifactRecord, toArtifactRow } from './sqlite-row-mappers.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** Artifact persistence over one SQLite connection. */
export class SqliteArtifacts {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Records an artifact and returns it with its id. */
  create(input: NewArtifact): ArtifactRecord {
    const row = this.#sqlite.first(
      this.#sqlite.builder.insertInto('artifacts').values(toArtifactRow(input)).returningAll(),
    );
    if (row === null) throw new Error('INSERT … RETURNING gave no artifact row');
    return toArtifactRecord(row);
  }

  /** The artifact with this id, or null. */
  get(id: number): ArtifactRecord | null {
    const row = this.#sqlite.first(this.#sqlite.builder.selectFrom('artifacts').selectAll().where('id', '=', id));
    return row === null ? null : toArtifactRecord(row);
  }

  /** One page of matching artifacts, newest first, with the count of all matches. */
  list(filter: ArtifactFilter): { artifacts: ArtifactRecord[]; total_count: number } {
    let matching = this.#sqlite.builder.selectFrom('artifacts');
    if (filter.execution_id !== undefined) matching = matching.where('execution_id', '=', filter.execution_id);
    if (filter.step_id !== undefined) matching = matching.where('step_id', '=', filter.step_id);
    if (filter.artifact_type !== undefined) matching = matching.where('artifact_type', '=', filter.artifact_type);
    const rows = this.#sqlite.all(matching.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset));
    const counted = this.#sqlite.first(matching.select((eb) => eb.fn.countAll<number>().as('n')));
    return { artifacts: rows.map(toArtifactRecord), total_count: counted?.n ?? 0 };
  }

  /** Deletes the artifact row; false if it did not exist. */
  delete(id: number): boolean {
    return this.#sqlite.run(this.#sqlite.builder.deleteFrom('artifacts').where('id', '=', id)) > 0;
  }
}
