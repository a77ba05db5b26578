// Tests resolveArtifactPath: relative paths, symlinks, escapes, special files, size limit, missing files and extra roots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isInside, resolveArtifactPath, type ArtifactPathRules } from './resolve-artifact-path.js';

describe('resolveArtifactPath', () => {
  let base: string;
  let work: string;
  let rules: ArtifactPathRules;
  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'stepflow-resolve-')));
    work = join(base, 'work');
    mkdirSync(join(work, 'out'), { recursive: true });
    mkdirSync(join(base, 'elsewhere'));
    writeFileSync(join(work, 'report.txt'), 'hello');
    writeFileSync(join(base, 'elsewhere', 'secret.txt'), 'secret');
    symlinkSync(join(base, 'elsewhere', 'secret.txt'), join(work, 'escape-link'));
    symlinkSync('report.txt', join(work, 'inner-link'));
    symlinkSync('../elsewhere/nothing-yet', join(work, 'dangling-out'));
    symlinkSync('/dev/null', join(work, 'null-link'));
    execFileSync('mkfifo', [join(work, 'pipe')]);
    rules = { workingDirectory: work, roots: [], maxBytes: 10 };
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('resolves a relative file inside the working directory', async () => {
    const resolved = await resolveArtifactPath('report.txt', rules);
    assert.equal(resolved.kind, 'file');
    assert.equal(resolved.kind === 'file' && resolved.realPath, join(work, 'report.txt'));
    assert.equal(resolved.kind === 'file' && resolved.size, 5);
  });

  it('follows a symlink that stays inside, and accepts a directory', async () => {
    assert.equal((await resolveArtifactPath('inner-link', rules)).kind, 'file');
    assert.deepEqual(await resolveArtifactPath('out/', rules), { kind: 'directory', realPath: join(work, 'out') });
  });

  it('refuses an absolute path such as /etc/passwd', async () => {
    const resolved = await resolveArtifactPath('/etc/passwd', rules);
    assert.equal(resolved.kind, 'refused');
    assert.match(resolved.kind === 'refused' ? resolved.reason : '', /\/etc\/passwd is outside/);
  });

  it('refuses .. that climbs out, even when nothing is there', async () => {
    assert.equal((await resolveArtifactPath('../../x', rules)).kind, 'refused');
    assert.equal((await resolveArtifactPath('out/../../elsewhere/secret.txt', rules)).kind, 'refused');
  });

  it('refuses a symlink whose target is outside, existing or dangling', async () => {
    const escaped = await resolveArtifactPath('escape-link', rules);
    assert.match(escaped.kind === 'refused' ? escaped.reason : '', /resolves to .*secret\.txt, outside/);
    assert.equal((await resolveArtifactPath('dangling-out', rules)).kind, 'refused');
  });

  it('refuses a FIFO', async () => {
    const resolved = await resolveArtifactPath('pipe', rules);
    assert.match(resolved.kind === 'refused' ? resolved.reason : '', /is a FIFO/);
  });

  it('refuses a device such as /dev/null, even inside an allowed root', async () => {
    const resolved = await resolveArtifactPath('null-link', { ...rules, roots: ['/dev'] });
    assert.match(resolved.kind === 'refused' ? resolved.reason : '', /\/dev\/null is a device/);
    assert.equal((await resolveArtifactPath('null-link', rules)).kind, 'refused');
  });

  it('refuses a file over the size limit', async () => {
    const resolved = await resolveArtifactPath('report.txt', { ...rules, maxBytes: 4 });
    assert.match(resolved.kind === 'refused' ? resolved.reason : '', /5 bytes, over the 4-byte artifact limit/);
  });

  it('reports a file that does not exist yet as missing', async () => {
    assert.deepEqual(await resolveArtifactPath('later.txt', rules), { kind: 'missing', path: join(work, 'later.txt') });
  });

  it('accepts a path into an allowed root', async () => {
    const resolved = await resolveArtifactPath(join(base, 'elsewhere', 'secret.txt'), { ...rules, roots: [join(base, 'elsewhere')] });
    assert.equal(resolved.kind, 'file');
  });
});

describe('isInside', () => {
  it('accepts the root and paths below it, nothing beside it', () => {
    assert.equal(isInside('/a/b', '/a/b'), true);
    assert.equal(isInside('/a/b', '/a/b/c'), true);
    assert.equal(isInside('/a/b', '/a/bc'), false);
    assert.equal(isInside('/a/b', '/a'), false);
    assert.equal(isInside('/a/b', '/a/b/../c'), false);
  });
});
