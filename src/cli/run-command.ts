// Owns `stepflow run`: create an execution from the words after --, follow it live, print a summary, exit with its code.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { WireExecution } from '../core/wire-types.js';
import { addExamples } from './add-examples.js';
import { ApiError, createApiClient, type ApiClient } from './api-client.js';
import { buildCreateBody, type RunFlags } from './build-create-body.js';
import { exitAfter } from './cli-error.js';
import { SERVER_FLAG_HELP, collect, serverUrlFrom, type CliSettings } from './cli-settings.js';
import { createJsonRunPrinter } from './create-json-run-printer.js';
import { createRunPrinter, type RunPrinter } from './create-run-printer.js';
import { exitCodeFor } from './exit-code-for.js';
import { waitForRoom } from './flush-output.js';
import { followExecution } from './follow-execution.js';

interface RunOptions extends RunFlags {
  server?: string;
  json?: boolean;
}

interface Created {
  execution_id: string;
  execution: WireExecution;
}

/** Adds `run` to the program; its flags must come before the command, everything after `--` is the command. */
export function registerRunCommand(program: Command, settings: CliSettings): Command {
  const run = program
    .command('run')
    .description(
      "run a command on the server and follow it: steps, log lines, summary; exits with the execution's exit code",
    )
    .argument(
      '<command...>',
      'the command after --: several words run without a shell, one word with spaces runs in a shell',
    )
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('--name <name>', 'name of the execution [default: the command]')
    .option('--cwd <dir>', 'working directory on the server [default: the current directory]')
    .option('--env <KEY=VALUE>', 'environment variable for the script (repeatable)', collect)
    .option('--tag <tag>', 'tag for the execution (repeatable)', collect)
    .option('--timeout <seconds>', 'stop the script after this many seconds')
    .option('--runs-on <labels>', 'run it on an agent having all these comma-separated labels (repeatable)', collect)
    .option(
      '--markers <dialects>',
      "marker dialects to read, comma-separated: stepflow, github, gitlab, azure, teamcity, buildkite, tap [default: the server's]",
    )
    .option('--json', 'print one JSON object per line (created, step, line, finished) instead of text')
    // Without this, a script's own flags (`run ./build.sh --name x`) would be taken as ours.
    .passThroughOptions()
    .action((words: string[], options: RunOptions) => exitAfter(() => runCommand(words, options, settings)));
  return addExamples(run, [
    ['stepflow run -- ./deploy.sh staging', 'run a script on the server and follow it'],
    ['stepflow run --name nightly --tag ci -- make test', 'name and tag the execution'],
    ["stepflow run -- 'make test | tee out.txt'", 'one quoted word runs in a shell'],
    ['stepflow run --env TARGET=prod --timeout 600 -- ./deploy.sh', 'environment and a time limit'],
    ['stepflow run --json -- ./build.sh > events.jsonl', 'JSON lines for programs'],
    ['stepflow run --runs-on gpu -- ./train.sh', 'run it on an agent labelled gpu'],
    ['stepflow run --markers stepflow,github -- ./ci/build.sh', 'read a script written for GitHub Actions'],
  ]);
}

async function runCommand(words: string[], options: RunOptions, settings: CliSettings): Promise<number> {
  const body = buildCreateBody(words, options, settings.cwd);
  const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
  const printer = options.json
    ? createJsonRunPrinter(process.stdout, process.stderr)
    : createRunPrinter({
        out: process.stdout,
        err: process.stderr,
        colors: pc.createColors(settings.color),
        statusLine: settings.isTTY,
        baseUrl: client.baseUrl,
      });
  const interrupt = watchInterrupt(client, printer);
  try {
    const created = await client.post<Created>('/api/executions', body);
    const executionId = Number(created.execution_id);
    interrupt.started(executionId);
    printer.started(created.execution, dashboardUrl(client.baseUrl, executionId));
    const result = await followExecution({
      client,
      executionId,
      fromLine: 0,
      handlers: {
        onLine: printer.line,
        onStep: printer.step,
        onNotice: printer.notice,
        waitForRoom: () => waitForRoom(process.stdout),
      },
    });
    const code = interrupt.interrupted() ? 130 : exitCodeFor(result.execution);
    printer.finished(result, code);
    return code;
  } finally {
    printer.stop();
    interrupt.dispose();
  }
}

/** The execution's page in the dashboard, which the server serves under the same base URL as its API. */
function dashboardUrl(baseUrl: string, executionId: number): string {
  return `${baseUrl}/executions/${executionId}`;
}

/** First Ctrl-C cancels on the server and keeps following to the end; the second exits at once. */
function watchInterrupt(client: ApiClient, printer: RunPrinter) {
  let count = 0;
  let executionId: number | undefined;
  const cancel = (id: number): void => {
    // The cancel route answers once the script has stopped, which can take the server's kill grace period.
    client.post(`/api/executions/${id}/cancel`, {}, 10 * 60_000).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 'execution_finished') return;
      printer.notice(`could not cancel execution ${id}: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  const onSigint = (): void => {
    count += 1;
    if (count > 1) {
      printer.stop();
      process.exit(130);
    }
    const which = executionId === undefined ? 'the execution' : `execution ${executionId}`;
    printer.notice(`cancelling ${which} (press Ctrl-C again to exit at once)`);
    if (executionId !== undefined) cancel(executionId);
  };
  process.on('SIGINT', onSigint);
  return {
    started(id: number): void {
      executionId = id;
      // Ctrl-C while the create request was in flight: cancel as soon as there is something to cancel.
      if (count > 0) cancel(id);
    },
    interrupted: (): boolean => count > 0,
    dispose: (): void => {
      process.off('SIGINT', onSigint);
    },
  };
}
