// Owns the shape of one numbered PostgreSQL schema migration.

/** One schema step: `version` is its number (1, 2, …), recorded in `schema_migrations` once applied. */
export interface PostgresMigration {
  version: number;
  name: string;
  /** Statements run in order inside the migration's transaction. */
  statements: readonly string[];
}
