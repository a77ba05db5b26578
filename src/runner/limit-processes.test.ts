// Tests how the process cap finds (or fails to find) a pids cgroup, and that an unusable one never blocks spawning.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createProcessLimiter, detectProcessLimitSupport } from './limit-processes.js';

describe('detectProcessLimitSupport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-cgroup-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says why when no pids controller is mounted', () => {
    const support = detectProcessLimitSupport([join(dir, 'missing')]);
    assert.deepEqual(support, { ok: false, reason: 'no pids cgroup controller is mounted' });
  });

  it('skips a cgroup v2 tree whose controllers do not include pids', () => {
    mkdirSync(join(dir, 'v2'));
    writeFileSync(join(dir, 'v2', 'cgroup.procs'), '');
    writeFileSync(join(dir, 'v2', 'cgroup.controllers'), 'cpu memory io\n');
    assert.equal(detectProcessLimitSupport([join(dir, 'v2')]).ok, false);
    assert.equal(existsSync(join(dir, 'v2', 'stepflow')), false, 'nothing was created there');
  });
});

describe('createProcessLimiter', () => {
  it('is off for 0 and reports the reason when the cap cannot be enforced', () => {
    const off = createProcessLimiter(0, { ok: false, reason: 'x' });
    assert.equal(off.limit, null);
    assert.equal(off.reason, null);
    const unsupported = createProcessLimiter(512, { ok: false, reason: 'no pids cgroup controller is mounted' });
    assert.equal(unsupported.limit, null);
    assert.equal(unsupported.reason, 'no pids cgroup controller is mounted');
  });
});
