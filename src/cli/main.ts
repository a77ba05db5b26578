// Owns the `stepflow` program: name, version, shared parsing settings and the list of subcommands.
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerAgentCommand } from './agent-command.js';
import { registerArtifactsCommand } from './artifacts-command.js';
import { registerCancelCommand } from './cancel-command.js';
import { registerKeysCommand } from './keys-command.js';
import { readCliSettings } from './cli-settings.js';
import { exitWhenFlushed } from './flush-output.js';
import { registerListCommand } from './list-command.js';
import { registerLogsCommand } from './logs-command.js';
import { registerRunCommand } from './run-command.js';
import { registerServeCommand } from './serve-command.js';
import { watchOutputErrors } from './watch-output-errors.js';

const program = new Command('stepflow')
  .description(packageJson.description)
  .version(packageJson.version)
  // Required before `run` can use passThroughOptions (script flags must reach the script untouched).
  .enablePositionalOptions()
  // Commander throws instead of exiting, so help and usage errors are flushed like any other output (see below).
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'stepflow: ')) });

// `stepflow logs 1 | head` closes our stdout early: exit quietly, as `head` expects; other write failures get one line.
watchOutputErrors({ stdout: process.stdout, stderr: process.stderr, exit: (code) => process.exit(code) });

const settings = readCliSettings(process.env, process.cwd(), process.stdout.isTTY === true);

// Subcommands must be added after the settings above so they inherit them.
registerServeCommand(program);
registerRunCommand(program, settings);
registerListCommand(program, settings);
registerLogsCommand(program, settings);
registerCancelCommand(program, settings);
registerArtifactsCommand(program, settings);
registerKeysCommand(program);
registerAgentCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Usage errors exit 2, like configuration errors; help and --version exit 0.
  await exitWhenFlushed(err.exitCode === 0 ? 0 : 2);
}
