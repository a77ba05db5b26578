// Owns capping how many processes one execution may have, with a Linux pids cgroup per execution.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCode } from '../core/error-code.js';
import { isProcessAlive } from './kill-process-group.js';

/**
 * Makes a fresh capped group for one execution. `dir` is where its process must start (pass it to
 * `spawnInto` in the process that spawns), or null when the group could not be made (the script
 * then runs uncapped); `release` kills what is left in the group and removes it.
 */
export type LimitProcesses = () => { dir: string | null; release: () => void };

/** The cap for one server: `limit` is null (with the `reason`, if any) when it is off or cannot be enforced. */
export interface ProcessLimiter {
  limit: LimitProcesses | null;
  reason: string | null;
  /** Removes this server's cgroups once its runs have stopped. */
  dispose: () => void;
}

/** Where pids cgroups can be made, and why not when they cannot. */
export type ProcessLimitSupport = { ok: true; root: string } | { ok: false; reason: string };

// cgroup v1 mounts the pids controller on its own; v2 has one tree where `pids` must be an enabled controller.
const CANDIDATES = ['/sys/fs/cgroup/pids', '/sys/fs/cgroup/unified', '/sys/fs/cgroup'];

/**
 * Finds a writable pids cgroup tree. RLIMIT_NPROC (ulimit -u) is no use here: it counts every
 * process of the user, and the kernel never applies it to root, so a server running as root
 * could not cap a fork bomb with it. A pids cgroup caps the execution's own tree for any user.
 */
export function detectProcessLimitSupport(candidates: readonly string[] = CANDIDATES): ProcessLimitSupport {
  for (const base of candidates) {
    if (!existsSync(join(base, 'cgroup.procs'))) continue;
    const controllers = join(base, 'cgroup.controllers');
    if (existsSync(controllers) && !readFileSync(controllers, 'utf8').split(/\s+/).includes('pids')) continue;
    if (!existsSync(controllers) && !existsSync(join(base, 'tasks'))) continue;
    try {
      const root = join(base, 'stepflow');
      mkdirSync(root, { recursive: true });
      if (existsSync(controllers)) writeFileSync(join(base, 'cgroup.subtree_control'), '+pids');
      return { ok: true, root };
    } catch (error) {
      return { ok: false, reason: `cannot create a pids cgroup under ${base}: ${(error as Error).message}` };
    }
  }
  return { ok: false, reason: 'no pids cgroup controller is mounted' };
}

/** Kills every process still in a cgroup (and its child groups) and removes it; retries while the killed ones finish exiting. */
function removeGroup(dir: string, attempt = 0): void {
  try {
    for (const child of readdirSync(dir, { withFileTypes: true }))
      if (child.isDirectory()) removeGroup(join(dir, child.name));
    for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmdirSync(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    if (attempt < 50) setTimeout(() => removeGroup(dir, attempt + 1), 100).unref();
  }
}

/**
 * Starts the child inside `dir`. With cgroup v1 the spawning thread itself steps into the group
 * for the fork (its `tasks` file moves one thread), so the script is capped from its first
 * instruction. cgroup v2 cannot move a single thread, so the child is moved right after spawn:
 * a script that forks within microseconds of starting can leave a few processes outside the cap.
 */
export function spawnInto<T extends { pid?: number | undefined }>(dir: string, spawn: () => T): T {
  const tasks = join(dir, 'tasks');
  if (!existsSync(tasks)) {
    const child = spawn();
    if (child.pid !== undefined) {
      try {
        writeFileSync(join(dir, 'cgroup.procs'), String(child.pid));
      } catch (error) {
        // ESRCH: the script already exited (and was reaped), so there is nothing left to cap.
        if (errorCode(error) !== 'ESRCH') throw error;
      }
    }
    return child;
  }
  const home = ownGroupTasks(dir);
  writeFileSync(tasks, String(process.pid));
  try {
    return spawn();
  } finally {
    writeFileSync(home, String(process.pid));
  }
}

/** The `tasks` file of the pids group the server's main thread belongs to (read before stepping out of it). */
function ownGroupTasks(dir: string): string {
  const line = readFileSync(`/proc/self/task/${process.pid}/cgroup`, 'utf8')
    .split('\n')
    .find((entry) => /^\d+:([^:]*,)?pids(,[^:]*)?:/.test(entry));
  const path = line?.slice(line.indexOf(':', line.indexOf(':') + 1) + 1) ?? '/';
  const mount = dir.slice(0, dir.indexOf('/stepflow/'));
  return join(mount, path, 'tasks');
}

/** Empties and removes the groups of server processes that no longer exist (a crashed server's runs). */
function sweepDeadServers(root: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const match = /^server-(\d+)$/.exec(entry.name);
    if (entry.isDirectory() && match && !isProcessAlive(Number(match[1]))) removeGroup(join(root, entry.name));
  }
}

/**
 * Creates the limiter for `maxProcesses` per execution, or null (with the reason) when it cannot be
 * enforced here. Groups a crashed server left behind are emptied and removed first.
 */
export function createProcessLimiter(maxProcesses: number, support = detectProcessLimitSupport()): ProcessLimiter {
  if (maxProcesses <= 0) return { limit: null, reason: null, dispose: () => {} };
  if (!support.ok) return { limit: null, reason: support.reason, dispose: () => {} };
  sweepDeadServers(support.root);
  // One folder per server process, so servers sharing a machine (tests, several instances) never touch each other's runs.
  const root = join(support.root, `server-${process.pid}`);
  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    return { limit: null, reason: `cannot create ${root}: ${(error as Error).message}`, dispose: () => {} };
  }
  let runs = 0;
  const limit: LimitProcesses = () => {
    const dir = join(root, `run-${++runs}`);
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pids.max'), String(maxProcesses));
    } catch {
      removeGroup(dir);
      return { dir: null, release: () => {} };
    }
    return { dir, release: () => removeGroup(dir) };
  };
  return { limit, reason: null, dispose: () => removeGroup(root) };
}
