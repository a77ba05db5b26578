// Unit tests for verifyWorkingDirectory, on real directories and symlinks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWorkingDirectory, WORKING_DIRECTORY_REFUSED } from './verify-working-directory.js';

// An identity that owns nothing here, so only the "other" permission bits apply to it.
const STRANGER = { name: 'stranger', uid: 2_000_000_001, gid: 2_000_000_001 };

describe('verifyWorkingDirectory', () => {
  let base = '';
  let root = '';
  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'stepflow-verify-cwd-')));
    chmodSync(base, 0o755);
    root = join(base, 'root');
    mkdirSync(join(root, 'open'), { recursive: true, mode: 0o755 });
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'closed'), { mode: 0o700 });
    mkdirSync(join(base, 'outside'));
    symlinkSync(join(base, 'outside'), join(root, 'escape'));
    symlinkSync(join(root, 'open'), join(root, 'alias'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('returns the path unchanged when nothing is confined', () => {
    assert.equal(verifyWorkingDirectory(join(root, 'escape'), [], null), join(root, 'escape'));
  });

  it('returns the resolved path to start in, so a later swap of the name cannot move the script', () => {
    assert.equal(verifyWorkingDirectory(join(root, 'alias'), [root], null), join(root, 'open'));
  });

  it('refuses a path that resolves outside the roots, with the refusal code', () => {
    assert.throws(
      () => verifyWorkingDirectory(join(root, 'escape'), [root], null),
      (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, WORKING_DIRECTORY_REFUSED);
        assert.match(error.message, /resolves to .*outside, outside the allowed working roots/);
        return true;
      },
    );
  });

  it("refuses a directory the script's user cannot enter, and allows one it can", () => {
    assert.throws(
      () => verifyWorkingDirectory(join(root, 'closed'), [], STRANGER),
      /is not accessible to user stranger/,
    );
    assert.equal(verifyWorkingDirectory(join(root, 'open'), [], STRANGER), join(root, 'open'));
  });

  it('leaves a missing directory to the spawn, which reports it as missing', () => {
    assert.equal(verifyWorkingDirectory(join(root, 'gone'), [root], STRANGER), join(root, 'gone'));
  });
});
