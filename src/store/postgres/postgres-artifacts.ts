// Owns artifact rows in PostgreSQL: create, read, list with filters and delete.
import type { Kysely } from 'kysely';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { ArtifactFilter, NewArtifact } from '../store.js';
import { toPgArtifactRecord, toPgArtifactRow } from './postgres-row-mappers.js';
import type { PgTables } from './postgres-tables.js';

/** Artifact persistence over a PostgreSQL pool. */
export class PostgresArtifacts {
  readonly #db: Kysely<PgTables>;

  constructor(db: Kysely<PgTables>) {
    this.#db = db;
  }

  /** Records an artifact and returns it with its id. */
  async create(input: NewArtifact): Promise<ArtifactRecord> {
    const row = await this.#db
      .insertInto('artifacts')
      .values(toPgArtifactRow(input))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPgArtifactRecord(row);
  }

  /** The artifact with this id, or null. */
  async get(id: number): Promise<ArtifactRecord | null> {
    const row = await this.#db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toPgArtifactRecord(row);
  }

  /** One page of matching artifacts, newest first, with the count of all matches. */
  async list(filter: ArtifactFilter): Promise<{ artifacts: ArtifactRecord[]; total_count: number }> {
    let matching = this.#db.selectFrom('artifacts');
    if (filter.execution_id !== undefined) matching = matching.where('execution_id', '=', filter.execution_id);
    if (filter.step_id !== undefined) matching = matching.where('step_id', '=', filter.step_id);
    if (filter.artifact_type !== undefined) matching = matching.where('artifact_type', '=', filter.artifact_type);
    const [rows, counted] = await Promise.all([
      matching.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { artifacts: rows.map(toPgArtifactRecord), total_count: counted?.n ?? 0 };
  }

  /** Deletes the artifact row; false if it did not exist. */
  async delete(id: number): Promise<boolean> {
    const result = await this.#db.deleteFrom('artifacts').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
