// Owns `stepflow migrate --from <dir> --to <url>`: copies a SQLite history into PostgreSQL and checks every table's count.
import type { Command } from 'commander';
import { redactDatabaseUrl } from '../core/redact-database-url.js';
import { migrateHistory } from '../migrate-history.js';
import { addExamples } from './add-examples.js';
import { CliError, exitAfter, usageError } from './cli-error.js';

/** Adds `migrate` to the program. */
export function registerMigrateCommand(program: Command): Command {
  const migrate = program
    .command('migrate')
    .description(
      'copy a SQLite history (executions, steps, lines, artifact rows, keys, audit) into PostgreSQL; run again to resume',
    )
    .requiredOption('--from <dir>', 'storage directory holding stepflow.db')
    .requiredOption('--to <url>', 'PostgreSQL database, postgres://user:password@host:5432/database')
    .action((options: { from: string; to: string }) => exitAfter(() => runMigrate(options.from, options.to)));
  addExamples(migrate, [
    ['stepflow migrate --from ./data --to postgres://stepflow@db:5432/stepflow', 'copy, then compare the counts'],
  ]);
  return migrate;
}

async function runMigrate(from: string, to: string): Promise<number> {
  if (!/^postgres(ql)?:\/\//.test(to)) throw usageError(`--to must be a postgres:// URL, got ${redactDatabaseUrl(to)}`);
  process.stderr.write(`Copying ${from} into ${redactDatabaseUrl(to)}\n`);
  const counts = await migrateHistory(from, to, (table, copied) =>
    process.stderr.write(`  ${table}: ${copied} rows copied\n`),
  );
  const width = Math.max(...counts.map((c) => c.table.length));
  for (const c of counts)
    process.stdout.write(
      `${c.table.padEnd(width)}  sqlite ${c.sqlite}  postgres ${c.postgres}${c.sqlite === c.postgres ? '' : '  MISMATCH'}\n`,
    );
  const mismatched = counts.filter((c) => c.sqlite !== c.postgres);
  // More rows in PostgreSQL than in SQLite means it had rows of its own; fewer means a copy is incomplete.
  if (mismatched.length > 0)
    throw new CliError(
      `counts differ for ${mismatched.map((c) => c.table).join(', ')}: the PostgreSQL database was not empty, or the copy is incomplete (run again to resume)`,
      1,
    );
  process.stderr.write('All counts match.\n');
  return 0;
}
