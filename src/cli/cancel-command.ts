// Owns `stepflow cancel`: ask the server to cancel an execution and say how it ended.
import type { Command } from 'commander';
import type { WireExecution } from '../core/wire-types.js';
import { addExamples } from './add-examples.js';
import { createApiClient } from './api-client.js';
import { exitAfter } from './cli-error.js';
import { SERVER_FLAG_HELP, serverUrlFrom, type CliSettings } from './cli-settings.js';
import { parseExecutionId } from './parse-execution-id.js';

/** Adds `cancel` to the program. */
export function registerCancelCommand(program: Command, settings: CliSettings): Command {
  const cancel = program
    .command('cancel')
    .description('cancel a pending or running execution (waits until it has stopped)')
    .argument('<id>', 'execution id')
    .option('--server <url>', SERVER_FLAG_HELP)
    .action((id: string, options: { server?: string }) =>
      exitAfter(async () => {
        const executionId = parseExecutionId(id);
        const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
        // The route answers once the script has stopped, which can take the server's kill grace period.
        const answer = await client.post<{ message: string; execution: WireExecution }>(
          `/api/executions/${executionId}/cancel`,
          {},
          10 * 60_000,
        );
        process.stdout.write(`${answer.message}\n`);
        return 0;
      }),
    );
  return addExamples(cancel, [
    ['stepflow cancel 42', 'stop execution 42; prints "execution 42 cancelled" once it has stopped'],
  ]);
}
