// Unit tests for making artifact names safe to write, and for keeping every write inside the target folder.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WireArtifact } from '../core/wire-types.js';
import { CliError } from './cli-error.js';
import { planFileNames } from './download-artifacts.js';
import { pathInside, sanitizeFileName } from './sanitize-file-name.js';

describe('sanitizeFileName', () => {
  it('keeps an ordinary name', () => {
    assert.equal(sanitizeFileName('report 2024.html', 'x'), 'report 2024.html');
  });

  it('keeps only the last path part of traversal attempts', () => {
    assert.equal(sanitizeFileName('../../etc/passwd', 'x'), 'passwd');
    assert.equal(sanitizeFileName('..\\..\\boot.ini', 'x'), 'boot.ini');
    assert.equal(sanitizeFileName('/abs/path/file.txt', 'x'), 'file.txt');
  });

  it('falls back when nothing usable is left', () => {
    for (const name of ['', '..', '.', '/', '../..', '\u0000\u0001'])
      assert.equal(sanitizeFileName(name, 'artifact-7'), 'artifact-7');
  });

  it('removes control characters and replaces reserved ones', () => {
    assert.equal(sanitizeFileName('a\nb\u001b[31m.txt', 'x'), 'ab[31m.txt');
    assert.equal(sanitizeFileName('what?<is>|this*:"', 'x'), 'what__is__this___');
  });

  it('strips leading dots so a name cannot hide or climb, and trailing dots and spaces', () => {
    assert.equal(sanitizeFileName('.bashrc', 'x'), 'bashrc');
    assert.equal(sanitizeFileName('name. . ', 'x'), 'name');
  });

  it('prefixes Windows device names', () => {
    assert.equal(sanitizeFileName('CON.txt', 'x'), '_CON.txt');
    assert.equal(sanitizeFileName('nul', 'x'), '_nul');
  });

  it('shortens long names to 200 bytes, keeping the extension', () => {
    const name = sanitizeFileName(`${'é'.repeat(300)}.tar.gz`, 'x');
    assert.ok(Buffer.byteLength(name) <= 200);
    assert.ok(name.endsWith('.gz'));
  });
});

describe('pathInside', () => {
  it('joins a plain name under the folder', () => {
    assert.equal(pathInside('/tmp/out', 'a.txt'), '/tmp/out/a.txt');
  });

  it('refuses anything that leaves the folder or is the folder itself', () => {
    for (const name of ['../a', '/etc/passwd', '.', '', 'sub/a.txt']) {
      assert.throws(
        () => pathInside('/tmp/out', name),
        (err: unknown) => err instanceof CliError && /refusing to write/.test(err.message),
      );
    }
  });
});

describe('planFileNames', () => {
  const artifact = (id: number, fileName: string): WireArtifact =>
    ({ id: String(id), file_name: fileName, name: fileName }) as WireArtifact;

  it('gives clashing names the artifact id before the extension', () => {
    assert.deepEqual(
      planFileNames([artifact(1, 'out.txt'), artifact(2, 'sub/out.txt'), artifact(3, 'OUT.txt'), artifact(4, 'bin')]),
      ['out.txt', 'out-2.txt', 'OUT-3.txt', 'bin'],
    );
  });
});
