// Owns the `stepflow` program: name, version, shared parsing settings and the list of subcommands.
import { Command, type CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
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

// Subcommands must be added after the settings above so they inherit them.
registerServeCommand(program);

await program.parseAsync(process.argv);
