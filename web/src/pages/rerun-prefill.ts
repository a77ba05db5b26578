// Owns turning a run into the New execution form's starting values, for "Re-run with edits".
import type { WireExecution } from '../../../src/core/wire-types';
import { formatCommand } from '../format';

/** What the form starts with when it re-runs `rerunOf`; environment values are never sent by the API, so only names. */
export interface RerunPrefill {
  rerunOf: string;
  name: string;
  /** The command as the form shows it: a shell line. */
  command: string;
  /** The original argv, sent unchanged when the shell line was not edited (a shell would re-split it otherwise). */
  argv: string[] | null;
  workingDirectory: string;
  environmentNames: string[];
  tags: string[];
  timeout: number | null;
  /** Agent labels the run asked for. */
  runsOn: string[];
  /** The dialects the run's output was read with. */
  markers: string[];
}

/** The form's starting values for a re-run of `execution`. */
export function prefillFromExecution(execution: WireExecution): RerunPrefill {
  const argv = Array.isArray(execution.command) ? execution.command : null;
  return {
    rerunOf: execution.id,
    name: execution.name,
    command: formatCommand(execution.command),
    argv,
    workingDirectory: execution.working_directory,
    environmentNames: Object.keys(execution.environment),
    tags: execution.tags,
    timeout: execution.timeout,
    runsOn: execution.runs_on,
    markers: execution.markers,
  };
}
