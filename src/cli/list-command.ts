// Owns `stepflow list`: the newest executions as a table, or as JSON for scripts.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { WireExecution } from '../core/wire-types.js';
import { createApiClient } from './api-client.js';
import { exitAfter, usageError } from './cli-error.js';
import { SERVER_FLAG_HELP, serverUrlFrom, type CliSettings } from './cli-settings.js';
import { formatExecutionTable } from './format-execution-table.js';

interface ListOptions {
  server?: string;
  status?: string;
  limit: string;
  json?: boolean;
}

const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];

/** Adds `list` to the program. */
export function registerListCommand(program: Command, settings: CliSettings): Command {
  return program
    .command('list')
    .description('list executions, newest first')
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('--status <status>', `only executions with this status (${STATUSES.join(', ')})`)
    .option('--limit <n>', 'how many to show, 1-1000', '20')
    .option('--json', 'print the executions as a JSON array instead of a table')
    .action((options: ListOptions) => exitAfter(() => listCommand(options, settings)));
}

async function listCommand(options: ListOptions, settings: CliSettings): Promise<number> {
  if (options.status !== undefined && !STATUSES.includes(options.status)) {
    throw usageError(`--status: "${options.status}" is not one of ${STATUSES.join(', ')}`);
  }
  const limit = parseLimit(options.limit);
  const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
  const page = await client.get<{ executions: WireExecution[]; total_count: number }>('/api/executions', { limit, status: options.status });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(page.executions, null, 2)}\n`);
    return 0;
  }
  if (page.executions.length === 0) {
    process.stdout.write('no executions\n');
    return 0;
  }
  const colors = pc.createColors(settings.color);
  process.stdout.write(`${formatExecutionTable(page.executions, colors).join('\n')}\n`);
  if (page.total_count > page.executions.length) {
    process.stdout.write(colors.dim(`${page.executions.length} of ${page.total_count} shown (--limit for more)`) + '\n');
  }
  return 0;
}

function parseLimit(text: string): number {
  const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= 1000)) throw usageError(`--limit: "${text}" must be a whole number from 1 to 1000`);
  return limit;
}
