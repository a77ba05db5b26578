// Owns STEPFLOW_RUN_AS at start-up: who the user is, and whether this server may become it; otherwise a one-line refusal.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ScriptUser } from './spawn-command.js';

/** The user scripts run as, from the system's user database. */
export interface RunAsUser extends ScriptUser {
  home: string;
}

/** What the server process is allowed to do, read from the kernel (injectable only for unit tests). */
export interface ServerPrivileges {
  uid: number;
  /** The effective capability set, as the hex mask /proc/self/status shows. */
  effectiveCapabilities: bigint;
}

// Switching a child's uid and gid needs SETUID and SETGID; stopping its process group needs KILL.
const CAP_KILL = 5n;
const CAP_SETGID = 6n;
const CAP_SETUID = 7n;
const NEEDED = [CAP_KILL, CAP_SETGID, CAP_SETUID];

/** Reads the server's uid and effective capabilities from /proc/self/status. */
export function readServerPrivileges(): ServerPrivileges {
  const status = readFileSync('/proc/self/status', 'utf8');
  const mask = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0';
  return { uid: process.getuid?.() ?? -1, effectiveCapabilities: BigInt(`0x${mask}`) };
}

/** Looks `name` (or a numeric uid) up through NSS, as `getent passwd` does; null when there is no such user. */
function lookUpUser(name: string): RunAsUser | null {
  let line: string;
  try {
    line =
      execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(
        '\n',
      )[0] ?? '';
  } catch {
    return null;
  }
  const [login = '', , uid = '', gid = '', , home = '/'] = line.split(':');
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) return null;
  return { name: login, uid: Number(uid), gid: Number(gid), home };
}

/**
 * Resolves the STEPFLOW_RUN_AS user and proves the server can run scripts as it; throws an Error
 * whose message is one line saying why not (unknown user, a root user or group, the server's own
 * user, or a server without the privileges to switch). Refusing is the point: a hardened mode
 * that silently ran scripts as the server's user would hand them the database and keys.
 */
export function resolveRunAsUser(name: string, privileges: ServerPrivileges = readServerPrivileges()): RunAsUser {
  const prefix = `STEPFLOW_RUN_AS=${name}`;
  const user = lookUpUser(name);
  if (user === null) throw new Error(`${prefix}: no such user`);
  if (user.uid === 0) throw new Error(`${prefix}: refusing to run scripts as root; name an unprivileged user`);
  if (user.gid === 0)
    throw new Error(`${prefix}: the user's primary group is root (gid 0); name a user with its own group`);
  if (user.uid === privileges.uid)
    throw new Error(
      `${prefix}: that is the user the server runs as, so scripts could read its storage; name another user`,
    );
  const missing = NEEDED.some((capability) => (privileges.effectiveCapabilities & (1n << capability)) === 0n);
  if (missing) {
    throw new Error(
      `${prefix}: the server (uid ${privileges.uid}) cannot switch scripts to another user; start it as root (or with CAP_SETUID, CAP_SETGID and CAP_KILL)`,
    );
  }
  return user;
}
