// Unit tests for permitsUser, userCanAccessSync and userCanAccess, on real files for the last two.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { permitsUser, userCanAccess, userCanAccessSync } from './user-can-access.js';

const USER = { name: 'builder', uid: 2_000_000_001, gid: 2_000_000_002 };
// Owns nothing and is in no group here, so only the "other" bits apply.
const STRANGER = { name: 'stranger', uid: 2_000_000_003, gid: 2_000_000_004 };

describe('permitsUser', () => {
  it('reads the owner bits for the owner, the group bits for the primary group, the other bits otherwise', () => {
    assert.equal(permitsUser({ uid: USER.uid, gid: 0, mode: 0o400 }, USER, 'read'), true);
    assert.equal(permitsUser({ uid: 0, gid: USER.gid, mode: 0o040 }, USER, 'read'), true);
    assert.equal(permitsUser({ uid: 0, gid: 0, mode: 0o004 }, USER, 'read'), true);
    assert.equal(permitsUser({ uid: 0, gid: 0, mode: 0o440 }, USER, 'read'), false);
  });

  it('does not fall back to other bits when the owner bits deny', () => {
    assert.equal(permitsUser({ uid: USER.uid, gid: 0, mode: 0o044 }, USER, 'read'), false);
  });

  it('needs both read and search to list a directory', () => {
    assert.equal(permitsUser({ uid: 0, gid: 0, mode: 0o001 }, USER, 'enter'), true);
    assert.equal(permitsUser({ uid: 0, gid: 0, mode: 0o001 }, USER, 'list'), false);
    assert.equal(permitsUser({ uid: 0, gid: 0, mode: 0o005 }, USER, 'list'), true);
  });
});

describe('userCanAccessSync', () => {
  let base = '';
  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'stepflow-access-')));
    chmodSync(base, 0o755);
    mkdirSync(join(base, 'open'), { mode: 0o755 });
    mkdirSync(join(base, 'closed'), { mode: 0o700 });
    writeFileSync(join(base, 'open', 'public.txt'), 'x', { mode: 0o644 });
    writeFileSync(join(base, 'open', 'private.txt'), 'x', { mode: 0o600 });
    writeFileSync(join(base, 'closed', 'public.txt'), 'x', { mode: 0o644 });
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('allows a readable file whose every parent directory can be entered', () => {
    assert.equal(userCanAccessSync(join(base, 'open', 'public.txt'), STRANGER, 'read'), true);
  });

  it('refuses a file without its read bit, and a readable file inside a closed directory', () => {
    assert.equal(userCanAccessSync(join(base, 'open', 'private.txt'), STRANGER, 'read'), false);
    assert.equal(userCanAccessSync(join(base, 'closed', 'public.txt'), STRANGER, 'read'), false);
  });

  it('answers false for a path that does not exist', () => {
    assert.equal(userCanAccessSync(join(base, 'gone'), STRANGER, 'enter'), false);
  });

  it('agrees with userCanAccess', async () => {
    for (const [path, access] of [
      ['open/public.txt', 'read'],
      ['closed', 'enter'],
      ['open', 'list'],
    ] as const) {
      assert.equal(
        await userCanAccess(join(base, path), STRANGER, access),
        userCanAccessSync(join(base, path), STRANGER, access),
        path,
      );
    }
  });
});
