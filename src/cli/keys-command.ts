// Owns `stepflow keys create | list | revoke`: API key management straight on the storage directory (no server needed).
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import type { ApiKeyRecord } from '../core/api-key.js';
import { errorCode } from '../core/error-code.js';
import { ROLES, type Role } from '../core/role.js';
import type { KeyManager } from '../open-key-manager.js';
import { addExamples } from './add-examples.js';
import { CliError, exitAfter } from './cli-error.js';

const STORAGE_HELP = 'storage directory of the server [env STEPFLOW_STORAGE_PATH, default ./data]';

/** Adds `keys` and its subcommands to the program. */
export function registerKeysCommand(program: Command): Command {
  const keys = program
    .command('keys')
    .description('manage API keys (run on the server machine; opens the storage directory directly)');
  addExamples(keys, [
    ['stepflow keys create --name ci --role operator', 'print a new key once'],
    ['stepflow keys list', 'every key, never its secret'],
    ['stepflow keys revoke ci', 'revoke it by name or id'],
  ]);
  const create = keys
    .command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .requiredOption('--name <name>', 'a name for the key, shown in the audit trail')
    .addOption(new Option('--role <role>', 'what the key may do').choices(ROLES).default('viewer'))
    .option('--storage <dir>', STORAGE_HELP)
    .action((options: { name: string; role: Role; storage?: string }) =>
      withKeys(options.storage, async (manager) => {
        const { key, record } = await manager.create(options.name, options.role);
        process.stderr.write(
          `Created key ${record.id} "${record.name}" (${record.role}). Copy it now: it is not shown again.\n`,
        );
        process.stdout.write(`${key}\n`);
      }),
    );
  addExamples(create, [
    ['stepflow keys create --name ci --role operator', 'may run and cancel executions'],
    [
      'stepflow keys create --name grafana --storage /var/lib/stepflow',
      'a viewer key (the default role), stored there',
    ],
  ]);
  const list = keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--storage <dir>', STORAGE_HELP)
    .action((options: { storage?: string }) =>
      withKeys(options.storage, async (manager) => {
        process.stdout.write(formatKeys(await manager.list()));
      }),
    );
  addExamples(list, [['stepflow keys list', 'id, name, role, created, active or revoked']]);
  const revoke = keys
    .command('revoke')
    .description('revoke an API key by id or name; its dashboard sessions end at once')
    .argument('<key>', 'id or name of the key')
    .option('--storage <dir>', STORAGE_HELP)
    .action((idOrName: string, options: { storage?: string }) =>
      withKeys(options.storage, async (manager) => {
        const revoked = await manager.revoke(idOrName);
        process.stdout.write(`Revoked key ${revoked.id} "${revoked.name}" (${revoked.role})\n`);
      }),
    );
  addExamples(revoke, [['stepflow keys revoke ci', 'by name (or by id: stepflow keys revoke 3)']]);
  return keys;
}

// The storage path resolves like serve's (flag > env > config file > ./data), so both always open the same database.
async function withKeys(storage: string | undefined, action: (manager: KeyManager) => Promise<void>): Promise<void> {
  return exitAfter(async () => {
    let config;
    try {
      config = loadConfig({
        flags: storage === undefined ? {} : { storagePath: storage },
        env: process.env,
        cwd: process.cwd(),
      });
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.problems.join('; '), 2);
      throw err;
    }
    // Loaded lazily, like serve, so other commands never pay for the database driver.
    const { openKeyManager } = await import('../open-key-manager.js');
    const manager = await openKeyManager(config);
    try {
      await action(manager);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'key_not_found' || code === 'validation_failed')
        throw new CliError((err as Error).message, code === 'validation_failed' ? 2 : 1);
      throw err;
    } finally {
      await manager.close();
    }
    return 0;
  });
}

function formatKeys(keys: readonly ApiKeyRecord[]): string {
  if (keys.length === 0)
    return 'No API keys. Create one with: stepflow keys create --name <name> --role <viewer|operator|admin>\n';
  const rows = keys.map((k) => [
    String(k.id),
    k.name,
    k.role,
    new Date(k.created_at).toISOString(),
    k.revoked_at === null ? 'active' : `revoked ${new Date(k.revoked_at).toISOString()}`,
  ]);
  const header = ['ID', 'NAME', 'ROLE', 'CREATED', 'STATUS'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
