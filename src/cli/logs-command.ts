// Owns `stepflow logs`: print an execution's stored log page by page, optionally one step's, and with --follow keep going live.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { WireLogLine, WireLogPage, WireStep } from '../core/wire-types.js';
import { addExamples } from './add-examples.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { CliError, exitAfter } from './cli-error.js';
import { createLogStructure } from './create-log-structure.js';
import { SERVER_FLAG_HELP, serverUrlFrom, type CliSettings } from './cli-settings.js';
import { waitForRoom } from './flush-output.js';
import { followExecution, type FollowResult } from './follow-execution.js';
import { formatLogLine } from './format-log-line.js';
import { parseExecutionId } from './parse-execution-id.js';

interface LogsOptions {
  server?: string;
  follow?: boolean;
  step?: string;
  raw?: boolean;
}

const PAGE_LIMIT = 10_000;

/** Adds `logs` to the program. */
export function registerLogsCommand(program: Command, settings: CliSettings): Command {
  const logs = program
    .command('logs')
    .description("print an execution's log; with --follow keep printing until it ends")
    .argument('<id>', 'execution id')
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('-f, --follow', 'keep printing new lines until the execution ends')
    .option('--step <name|id>', 'only the lines of this step (its name, or its id)')
    .option('--raw', 'print the lines exactly as stored, marker lines included, instead of step headers')
    .action((id: string, options: LogsOptions) => exitAfter(() => logsCommand(id, options, settings)));
  return addExamples(logs, [
    ['stepflow logs 42', 'the whole stored log'],
    ['stepflow logs 42 --follow', 'and new lines until the execution ends'],
    ['stepflow logs 42 --step Build', 'only the lines of the step named Build'],
    ['stepflow logs 42 | grep -n ERROR', 'plain text, made for pipes'],
    ['stepflow logs 42 --raw > build.log', 'the stored text as the script printed it, markers and all'],
  ]);
}

async function logsCommand(idText: string, options: LogsOptions, settings: CliSettings): Promise<number> {
  const executionId = parseExecutionId(idText);
  const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
  const colors = pc.createColors(settings.color);
  const detail = await client.get<FollowResult>(`/api/executions/${executionId}`);
  const stepId = options.step === undefined ? undefined : resolveStepId(detail.steps, options.step, executionId);
  // With a step filter the pages skip other lines, so the resume point must come from the whole log, read first.
  const wholeLogEnd = stepId === undefined ? 0 : (await readPage(client, executionId, 0, undefined, 1)).total_lines;
  const structure = createLogStructure(detail.steps, colors);
  const format = options.raw === true ? (line: WireLogLine) => formatLogLine(line, colors) : structure.line;
  const { lastLine, running } = await printStoredLog(client, executionId, stepId, format);
  if (!options.follow || !running) return 0;
  await followExecution({
    client,
    executionId,
    fromLine: Math.max(lastLine, wholeLogEnd),
    stepId,
    handlers: {
      onLine: (line) => process.stdout.write(format(line)),
      onStep: structure.step,
      onNotice: (message) => process.stderr.write(`stepflow: ${message}\n`),
      waitForRoom: () => waitForRoom(process.stdout),
    },
  });
  return 0;
}

// Each page is written in one call, and the next is read only once stdout has room: a log can have millions of lines.
async function printStoredLog(
  client: ApiClient,
  executionId: number,
  stepId: string | undefined,
  format: (line: WireLogLine) => string,
): Promise<{ lastLine: number; running: boolean }> {
  let lastLine = 0;
  for (let offset = 0; ;) {
    const page = await readPage(client, executionId, offset, stepId, PAGE_LIMIT);
    if (page.lines.length > 0) process.stdout.write(page.lines.map(format).join(''));
    await waitForRoom(process.stdout);
    lastLine = page.lines.at(-1)?.line ?? lastLine;
    offset += page.lines.length;
    if (!page.has_more || page.lines.length === 0) return { lastLine, running: page.is_running };
  }
}

function readPage(
  client: ApiClient,
  executionId: number,
  offset: number,
  stepId: string | undefined,
  limit: number,
): Promise<WireLogPage> {
  return client.get<WireLogPage>(`/api/executions/${executionId}/logs`, { offset, limit, step_id: stepId });
}

/** Finds a step by id (when the text is a number that is one of this execution's step ids) or else by exact name. */
export function resolveStepId(steps: WireStep[], text: string, executionId: number): string {
  if (/^\d+$/.test(text)) {
    const byId = steps.find((step) => step.id === String(Number(text)));
    if (byId) return byId.id;
  }
  const byName = steps.filter((step) => step.name === text);
  const [only] = byName;
  if (byName.length === 1 && only) return only.id;
  if (byName.length > 1) {
    throw new CliError(
      `execution ${executionId} has ${byName.length} steps named "${text}"; pass an id instead: ${byName.map((step) => step.id).join(', ')}`,
      1,
    );
  }
  const names = steps.map((step) => `"${step.name}" (id ${step.id})`).join(', ');
  throw new CliError(
    `execution ${executionId} has no step "${text}"${names ? `; its steps: ${names}` : ' (it has no steps yet)'}`,
    1,
  );
}
