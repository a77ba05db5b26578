// Owns `stepflow artifacts`: list an execution's artifacts, or save them all into a folder.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WireArtifact } from '../core/wire-types.js';
import { addExamples } from './add-examples.js';
import { createApiClient } from './api-client.js';
import { exitAfter } from './cli-error.js';
import { SERVER_FLAG_HELP, serverUrlFrom, type CliSettings } from './cli-settings.js';
import { downloadArtifacts } from './download-artifacts.js';
import { formatBytes } from './format-units.js';
import { parseExecutionId } from './parse-execution-id.js';

interface ArtifactsOptions {
  server?: string;
  download?: string;
}

/** Adds `artifacts` to the program. */
export function registerArtifactsCommand(program: Command, settings: CliSettings): Command {
  const artifacts = program
    .command('artifacts')
    .description("list an execution's artifacts, or download them with --download")
    .argument('<id>', 'execution id')
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('--download <dir>', 'save every artifact into this folder (created if missing)')
    .action((id: string, options: ArtifactsOptions) => exitAfter(() => artifactsCommand(id, options, settings)));
  return addExamples(artifacts, [
    ['stepflow artifacts 42', 'list them with their download URLs'],
    ['stepflow artifacts 42 --download ./out', 'save them all into ./out'],
  ]);
}

async function artifactsCommand(idText: string, options: ArtifactsOptions, settings: CliSettings): Promise<number> {
  const executionId = parseExecutionId(idText);
  const client = createApiClient(serverUrlFrom(options.server, settings), fetch, settings.apiKey);
  const { artifacts } = await client.get<{ artifacts: WireArtifact[] }>(`/api/executions/${executionId}`);
  if (artifacts.length === 0) {
    process.stdout.write(`execution ${executionId} has no artifacts\n`);
    return 0;
  }
  if (options.download === undefined) {
    process.stdout.write(`${formatArtifactTable(artifacts, client.baseUrl).join('\n')}\n`);
    return 0;
  }
  const dir = resolve(settings.cwd, options.download);
  await downloadArtifacts(client, artifacts, dir, ({ artifact, path, bytes }) => {
    if (bytes !== artifact.file_size)
      process.stderr.write(`stepflow: warning: ${path}: got ${bytes} bytes, the server listed ${artifact.file_size}\n`);
    process.stdout.write(`saved ${path} (${formatBytes(bytes)})\n`);
  });
  return 0;
}

/** Lines of the artifact list: id, size, type, name and where to download it. */
export function formatArtifactTable(artifacts: WireArtifact[], baseUrl: string): string[] {
  // eslint-disable-next-line no-control-regex -- a name with control characters would break the table
  const flat = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const rows = artifacts.map((a) => [
    String(a.id),
    formatBytes(a.file_size),
    a.artifact_type,
    flat(a.file_name || a.name),
    a.download_url.startsWith('/') ? baseUrl + a.download_url : a.download_url,
  ]);
  const header = ['ID', 'SIZE', 'TYPE', 'NAME', 'URL'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
