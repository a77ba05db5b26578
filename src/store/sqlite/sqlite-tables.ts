// Owns the SQLite schema as Kysely sees it: the shared row shapes (store/table-rows.ts) with flags stored as 0/1.
import type { StoreTables } from '../table-rows.js';

/** The whole SQLite schema, keyed by table name, for the Kysely query builder. */
export type SqliteTables = StoreTables<number>;
