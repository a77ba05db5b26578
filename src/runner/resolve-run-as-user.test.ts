// Unit tests for resolveRunAsUser and readServerPrivileges; users come from the real user database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readServerPrivileges, resolveRunAsUser } from './resolve-run-as-user.js';

const ROOT_PRIVILEGES = { uid: 0, effectiveCapabilities: 0x1ffffffffffn };
const HAS_NOBODY = (() => {
  try {
    return execFileSync('getent', ['passwd', 'nobody'], { encoding: 'utf8' }).startsWith('nobody:');
  } catch {
    return false;
  }
})();

describe('resolveRunAsUser', () => {
  it('resolves a user by name or uid to its ids and home', { skip: !HAS_NOBODY && 'needs the user nobody' }, () => {
    const user = resolveRunAsUser('nobody', ROOT_PRIVILEGES);
    assert.equal(user.name, 'nobody');
    assert.ok(user.uid > 0 && user.gid > 0);
    assert.deepEqual(resolveRunAsUser(String(user.uid), ROOT_PRIVILEGES), user);
  });

  it('refuses an unknown user in one line', () => {
    assert.throws(
      () => resolveRunAsUser('stepflow-no-such-user', ROOT_PRIVILEGES),
      /^Error: STEPFLOW_RUN_AS=stepflow-no-such-user: no such user$/,
    );
  });

  it('refuses root', () => {
    assert.throws(() => resolveRunAsUser('root', ROOT_PRIVILEGES), /refusing to run scripts as root/);
  });

  it('refuses the user the server itself runs as', { skip: !HAS_NOBODY && 'needs the user nobody' }, () => {
    const uid = resolveRunAsUser('nobody', ROOT_PRIVILEGES).uid;
    assert.throws(
      () => resolveRunAsUser('nobody', { uid, effectiveCapabilities: ROOT_PRIVILEGES.effectiveCapabilities }),
      /that is the user the server runs as/,
    );
  });

  it(
    'refuses a server without CAP_SETUID, CAP_SETGID and CAP_KILL, naming them',
    { skip: !HAS_NOBODY && 'needs the user nobody' },
    () => {
      for (const effectiveCapabilities of [0n, 0xc0n, 0x60n, 0xa0n]) {
        assert.throws(
          () => resolveRunAsUser('nobody', { uid: 1000, effectiveCapabilities }),
          /cannot switch scripts to another user; start it as root \(or with CAP_SETUID, CAP_SETGID and CAP_KILL\)$/,
        );
      }
      assert.equal(resolveRunAsUser('nobody', { uid: 1000, effectiveCapabilities: 0xe0n }).name, 'nobody');
    },
  );
});

describe('readServerPrivileges', () => {
  it("reads this process's uid and effective capabilities from the kernel", () => {
    const privileges = readServerPrivileges();
    assert.equal(privileges.uid, process.getuid?.());
    if (privileges.uid === 0) assert.ok((privileges.effectiveCapabilities & 0xe0n) === 0xe0n);
  });
});
