// Owns `stepflow search`: which runs' logs contain a text or pattern, newest first, with the matching lines.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { WireLogLine, WireSearchPage } from '../core/wire-types.js';
import { visibleText } from '../core/visible-text.js';
import { addExamples } from './add-examples.js';
import { createApiClient } from './api-client.js';
import { buildSearchQuery, type SearchFlags } from './build-search-query.js';
import { exitAfter } from './cli-error.js';
import { SERVER_FLAG_HELP, serverUrlFrom, type CliSettings } from './cli-settings.js';
import type { Colors } from './color-status.js';

interface SearchOptions extends SearchFlags {
  server?: string;
  json?: boolean;
}

/** Adds `search` to the program. */
export function registerSearchCommand(program: Command, settings: CliSettings): Command {
  const search = program
    .command('search')
    .description('find a text (any case) in every stored log: matching executions newest first, with their lines')
    .argument('<text>', 'the text to find, or a regular expression with --regex')
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('--regex', 'treat the text as a JavaScript regular expression (any case)')
    .option('--status <status>', 'only executions with this status')
    .option('--since <time>', 'only executions created at or after this time (ISO) or this long ago (30d, 12h, 45m)')
    .option('--until <time>', 'only executions created before this time (ISO) or this long ago')
    .option('--name <text>', 'only executions whose name contains this text (any case)')
    .option('--limit <n>', 'matching executions per page, 1-100', '20')
    .option('--cursor <cursor>', 'continue after the previous page (printed under it)')
    .option('--json', 'print the API page as JSON')
    .action((text: string, options: SearchOptions) => exitAfter(() => searchCommand(text, options, settings)));
  return addExamples(search, [
    ['stepflow search ECONNRESET --since 30d', 'which runs hit ECONNRESET in the last month'],
    ["stepflow search 'timeout after \\d+ ms' --regex --status failed", 'a pattern, failed runs only'],
  ]);
}

async function searchCommand(text: string, options: SearchOptions, settings: CliSettings): Promise<number> {
  const query = buildSearchQuery(text, options, Date.now());
  const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
  const page = await client.get<WireSearchPage>('/api/search', query);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(formatSearchPage(page, pc.createColors(settings.color)));
  return 0;
}

/** The page as text: a heading per execution, its matching lines with context, then what was left out. */
export function formatSearchPage(page: WireSearchPage, colors: Colors): string {
  const out: string[] = [];
  const row = (line: WireLogLine, match: boolean): string =>
    `  ${colors.dim(`${line.line}${match ? ':' : '-'}`)} ${visibleText(line.content)}`;
  for (const hit of page.executions) {
    const count = `${hit.match_count}${hit.more_matches ? '+' : ''} matching line${hit.match_count === 1 ? '' : 's'}`;
    out.push(
      colors.bold(
        `#${hit.execution.id} ${hit.execution.name} (${hit.execution.status}, ${hit.execution.created_at}): ${count}`,
      ),
    );
    for (const match of hit.matches) {
      out.push(
        ...match.before.map((l) => row(l, false)),
        row(match.line, true),
        ...match.after.map((l) => row(l, false)),
      );
    }
  }
  if (page.executions.length === 0) out.push('no matching executions');
  if (page.partial) out.push(colors.yellow('the search ran out of time: this page may be incomplete'));
  if (page.next_cursor !== null) out.push(colors.dim(`more: --cursor ${page.next_cursor}`));
  return `${out.join('\n')}\n`;
}
