// Owns the throwaway PostgreSQL databases tests run in: created per test file, dropped after, skipped or failed clearly without a server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactDatabaseUrl } from '../../core/redact-database-url.js';

/** A database made for one test file; `url` points at it, `freshSchemaUrl` at a new empty schema inside it. */
export interface TestDatabase {
  url: string;
  /** A URL whose connections see only a newly created, empty schema (so each store opened through it starts empty). */
  freshSchemaUrl(): Promise<string>;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** The server tests use: STEPFLOW_TEST_DATABASE_URL, else the local PostgreSQL with trust auth. */
export const TEST_DATABASE_ADMIN_URL =
  process.env.STEPFLOW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withPath(base: string, database: string, params: Record<string, string> = {}): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * Creates a database named after `label`, or returns the reason to skip when no PostgreSQL answers.
 * With CI=true a missing PostgreSQL is an error: CI must test both stores.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase | { skip: string }> {
  const name = `stepflow_test_${label.replace(/\W/g, '_')}_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
  } catch (error) {
    const why = `no PostgreSQL at ${redactDatabaseUrl(TEST_DATABASE_ADMIN_URL)} (${error instanceof Error ? error.message : String(error)}); set STEPFLOW_TEST_DATABASE_URL to a server where this user may CREATE DATABASE`;
    if (process.env.CI === 'true') throw new Error(`CI=true needs PostgreSQL: ${why}`, { cause: error });
    return { skip: `skipped: ${why}` };
  }
  const url = withPath(TEST_DATABASE_ADMIN_URL, name);
  let schemas = 0;
  return {
    url,
    async freshSchemaUrl() {
      schemas += 1;
      const schema = `s${schemas}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await client.end();
      }
      return withPath(TEST_DATABASE_ADMIN_URL, name, { options: `-c search_path=${schema}` });
    },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
