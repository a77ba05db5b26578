// Tests resolveArtifactPath: relative paths, symlinks, escapes, missing files, extra roots and the root it names.
import assert from 'node:assert/strict';
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
    rules = { workingDirectory: work, roots: [] };
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('resolves a relative file inside the working directory, naming that directory as its root', async () => {
    assert.deepEqual(await resolveArtifactPath('report.txt', rules), {
      kind: 'found',
      realPath: join(work, 'report.txt'),
      root: work,
      rootIndex: 0,
    });
  });

  it('follows a symlink that stays inside, and accepts a directory', async () => {
    assert.deepEqual(await resolveArtifactPath('inner-link', rules), {
      kind: 'found',
      realPath: join(work, 'report.txt'),
      root: work,
      rootIndex: 0,
    });
    assert.deepEqual(await resolveArtifactPath('out/', rules), {
      kind: 'found',
      realPath: join(work, 'out'),
      root: work,
      rootIndex: 0,
    });
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

  it('reports a file that does not exist yet as missing', async () => {
    assert.deepEqual(await resolveArtifactPath('later.txt', rules), { kind: 'missing', path: join(work, 'later.txt') });
  });

  it('accepts a path into an allowed root, naming that root and its index', async () => {
    const resolved = await resolveArtifactPath(join(base, 'elsewhere', 'secret.txt'), {
      ...rules,
      roots: [join(base, 'elsewhere')],
    });
    assert.deepEqual(resolved, {
      kind: 'found',
      realPath: join(base, 'elsewhere', 'secret.txt'),
      root: join(base, 'elsewhere'),
      rootIndex: 1,
    });
  });

  it('names the innermost root when allowed roots nest', async () => {
    const resolved = await resolveArtifactPath('out', { ...rules, roots: [base, join(work, 'out')] });
    assert.deepEqual(resolved, { kind: 'found', realPath: join(work, 'out'), root: join(work, 'out'), rootIndex: 2 });
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
