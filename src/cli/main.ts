// Owns the `stepflow` program: name, version, shared parsing settings and the list of subcommands.
import { Command, type CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerArtifactsCommand } from './artifacts-command.js';
import { registerCancelCommand } from './cancel-command.js';
import { registerKeysCommand } from './keys-command.js';
import { readCliSettings } from './cli-settings.js';
import { registerListCommand } from './list-command.js';
import { registerLogsCommand } from './logs-command.js';
import { registerRunCommand } from './run-command.js';
import { registerServeCommand } from './serve-command.js';

// Usage errors exit 2, like configuration errors; help and --version exit 0.
function exitForCommander(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? 0 : 2);
}

const program = new Command('stepflow')
  .description(packageJson.description)
  .version(packageJson.version)
  // Required before `run` can use passThroughOptions (script flags must reach the script untouched).
  .enablePositionalOptions()
  .exitOverride(exitForCommander)
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'stepflow: ')) });

// `stepflow logs 1 | head` closes our stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const settings = readCliSettings(process.env, process.cwd(), process.stdout.isTTY === true);

// Subcommands must be added after the settings above so they inherit them.
registerServeCommand(program);
registerRunCommand(program, settings);
registerListCommand(program, settings);
registerLogsCommand(program, settings);
registerCancelCommand(program, settings);
registerArtifactsCommand(program, settings);
registerKeysCommand(program);

await program.parseAsync(process.argv);
