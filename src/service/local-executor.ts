// Owns the local executor: runs executions on this server through the runner, with the child environment, confinement and process cap.
import type { ExecutionRecord } from '../core/execution.js';
import { buildChildEnvironment } from '../runner/build-child-environment.js';
import { filterServerEnvironment } from '../runner/filter-server-environment.js';
import { compileSecretNamePatterns } from '../core/collect-secret-values.js';
import type { Executor } from './executor.js';
import type { ServiceDeps } from './service-deps.js';

/** The local executor, plus what only a local executor can do: clean up after a previous server process. */
export interface LocalExecutor extends Executor {
  /** Kills the process group a previous server process left for this execution; true when one was alive. */
  killLeftovers(record: ExecutionRecord): boolean;
}

/** Creates the executor that runs scripts on this machine; it records each run's process group so recovery can find it. */
export function createLocalExecutor(deps: ServiceDeps): LocalExecutor {
  const secretNames = compileSecretNamePatterns(deps.settings.secretNamePatterns ?? []);
  // Enumerating process.env goes through a native interceptor per key (~ms); filter it once, not per run.
  const inherited = filterServerEnvironment(deps.baseEnvironment, {
    secretNames,
    passthrough: deps.settings.childEnvPassthrough ?? [],
  });
  const runAs = deps.settings.runAs ?? null;
  const confinement = {
    user: runAs === null ? null : { name: runAs.name, uid: runAs.uid, gid: runAs.gid },
    workingRoots: deps.settings.workingRoots ?? [],
  };
  return {
    name: 'local',
    onThisServer: true,
    start(spec, onEffects) {
      let recorded = false;
      const handle = deps.launch(
        {
          command: spec.command,
          cwd: spec.working_directory,
          environment: buildChildEnvironment(inherited, spec.environment, runAs),
          timeoutSeconds: spec.timeout_seconds,
          killGraceMs: deps.settings.killGraceMs,
          engineOptions: spec.engine,
          metadata: spec.metadata,
          confinement,
        },
        {
          clock: deps.clock,
          limitProcesses: deps.limitProcesses,
          // The runner does not know execution ids; its failure lines get the id here.
          logger: {
            error: (fields, message) => deps.logger.error({ execution_id: spec.execution_id, ...fields }, message),
          },
          onEffects: (effects) => {
            // The process group is stored once it exists, so a restarted server can kill what this one left behind.
            if (!recorded && handle.pid !== null) {
              recorded = true;
              void deps.store.updateExecution(spec.execution_id, { pid: handle.pid }).catch(() => {});
            }
            onEffects(effects);
          },
        },
      );
      return {
        cancel: () => handle.cancel(),
        notice: (content) => handle.notice(content),
        mask: (text) => handle.mask(text),
        done: handle.done,
      };
    },
    killLeftovers: (record) => record.pid !== null && deps.killOrphanGroup(record.pid),
  };
}
