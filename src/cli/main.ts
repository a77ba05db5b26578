// Owns running the `stepflow` program: output error handling, settings from the environment, and exit codes.
import { CommanderError } from 'commander';
import { readCliSettings } from './cli-settings.js';
import { createProgram } from './create-program.js';
import { exitWhenFlushed } from './flush-output.js';
import { watchOutputErrors } from './watch-output-errors.js';

// `stepflow logs 1 | head` closes our stdout early: exit quietly, as `head` expects; other write failures get one line.
watchOutputErrors({ stdout: process.stdout, stderr: process.stderr, exit: (code) => process.exit(code) });

const program = createProgram(readCliSettings(process.env, process.cwd(), process.stdout.isTTY === true));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Usage errors exit 2, like configuration errors; help and --version exit 0.
  await exitWhenFlushed(err.exitCode === 0 ? 0 : 2);
}
