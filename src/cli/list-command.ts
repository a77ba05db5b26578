// Owns `stepflow list`: executions newest first, filtered and paged, as a table or as JSON for scripts.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { WireExecution } from '../core/wire-types.js';
import { addExamples } from './add-examples.js';
import { createApiClient } from './api-client.js';
import { buildListQuery, STATUSES, type ListFlags } from './build-list-query.js';
import { exitAfter } from './cli-error.js';
import { SERVER_FLAG_HELP, serverUrlFrom, type CliSettings } from './cli-settings.js';
import { formatExecutionTable } from './format-execution-table.js';

interface ListOptions extends ListFlags {
  server?: string;
  json?: boolean;
}

interface ListPage {
  executions: WireExecution[];
  total_count: number;
}

/** Adds `list` to the program. */
export function registerListCommand(program: Command, settings: CliSettings): Command {
  const list = program
    .command('list')
    .description('list executions, newest first')
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('--status <status>', `only executions with this status (${STATUSES.join(', ')})`)
    .option('--tag <tag>', 'only executions with this tag')
    .option('--search <text>', 'only executions whose name or command contains this text (any case)')
    .option('--limit <n>', 'how many to show, 1-1000', '20')
    .option('--offset <n>', 'skip this many of the newest first (the next page: --offset 20)', '0')
    .option('--json', 'print the executions as a JSON array instead of a table')
    .action((options: ListOptions) => exitAfter(() => listCommand(options, settings)));
  return addExamples(list, [
    ['stepflow list --status failed', 'what failed lately'],
    ['stepflow list --tag nightly --search deploy', 'tagged nightly, with "deploy" in the name or command'],
    ['stepflow list --limit 50 --offset 50', 'the second page of 50'],
    ["stepflow list --json | jq '.[].id'", 'JSON for scripts'],
  ]);
}

async function listCommand(options: ListOptions, settings: CliSettings): Promise<number> {
  const query = buildListQuery(options);
  const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
  const page = await client.get<ListPage>('/api/executions', query);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(page.executions, null, 2)}\n`);
    return 0;
  }
  const colors = pc.createColors(settings.color);
  if (page.executions.length > 0) process.stdout.write(`${formatExecutionTable(page.executions, colors).join('\n')}\n`);
  const footer = describePage(page, query.offset);
  if (footer !== null) process.stdout.write(`${page.executions.length > 0 ? colors.dim(footer) : footer}\n`);
  return 0;
}

/** The line under the table: which part of how many is shown and how to see more; null when everything is shown. */
export function describePage(page: ListPage, offset: number): string | null {
  const shown = page.executions.length;
  if (shown === 0)
    return offset > 0 && page.total_count > 0
      ? `no executions after the first ${offset} (${page.total_count} in all)`
      : 'no executions';
  if (offset === 0 && shown >= page.total_count) return null;
  const last = offset + shown;
  const more = last < page.total_count ? ` (--offset ${last} for more)` : '';
  return `${offset + 1}-${last} of ${page.total_count} shown${more}`;
}
