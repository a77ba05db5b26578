// Owns the Examples section at the end of each command's --help.
import type { Command } from 'commander';

/** One example: the command line as typed, and what it does. */
export type Example = readonly [commandLine: string, what: string];

/** Appends "Examples:" with the command lines in one column and what each does beside them. */
export function addExamples(command: Command, examples: readonly Example[]): Command {
  const width = Math.max(...examples.map(([line]) => line.length));
  const lines = examples.map(([line, what]) => `  ${line.padEnd(width)}  # ${what}`);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`);
}
