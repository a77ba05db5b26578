// Owns the `stepflow` command tree: name, version, shared parsing settings and every subcommand, without running it.
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerArtifactsCommand } from './artifacts-command.js';
import { registerCancelCommand } from './cancel-command.js';
import type { CliSettings } from './cli-settings.js';
import { registerAgentCommand } from './agent-command.js';
import { registerKeysCommand } from './keys-command.js';
import { registerListCommand } from './list-command.js';
import { registerLogsCommand } from './logs-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerRunCommand } from './run-command.js';
import { registerSearchCommand } from './search-command.js';
import { registerServeCommand } from './serve-command.js';

/** Builds the program `main.ts` parses; tests parse documented examples against the same tree. */
export function createProgram(settings: CliSettings): Command {
  const program = new Command('stepflow')
    .description(packageJson.description)
    .version(packageJson.version)
    // Required before `run` can use passThroughOptions (script flags must reach the script untouched).
    .enablePositionalOptions()
    // Commander throws instead of exiting, so help and usage errors are flushed like any other output (see main.ts).
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'stepflow: ')) });
  // Subcommands must be added after the settings above so they inherit them.
  registerServeCommand(program);
  registerRunCommand(program, settings);
  registerListCommand(program, settings);
  registerLogsCommand(program, settings);
  registerSearchCommand(program, settings);
  registerCancelCommand(program, settings);
  registerArtifactsCommand(program, settings);
  registerKeysCommand(program);
  registerAgentCommand(program);
  registerMigrateCommand(program);
  return program;
}
