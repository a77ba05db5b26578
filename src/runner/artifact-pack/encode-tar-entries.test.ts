// Tests encodeTarEntries: headers (PAX for long names), file contents, links, and files that changed size since their stat.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { Parser } from 'tar';
import { ArtifactRefusedError } from './artifact-refused-error.js';
import { encodeTarEntries } from './encode-tar-entries.js';
import type { PackEntry } from './walk-directory-beneath.js';

async function* listed(entries: PackEntry[]): AsyncGenerator<PackEntry> {
  yield* entries;
}

async function encode(entries: PackEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of encodeTarEntries(listed(entries))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function parse(archive: Buffer): Promise<string[]> {
  const found: string[] = [];
  const parser = new Parser({
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () =>
        found.push(
          `${entry.type} ${entry.path}${entry.linkpath ? ` -> ${entry.linkpath}` : ''} ${Buffer.concat(chunks).toString()}`.trim(),
        ),
      );
    },
  });
  await pipeline(Readable.from([archive]), parser);
  return found;
}

describe('encodeTarEntries', () => {
  let base: string;
  let handle: FileHandle;
  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-tar-'));
    writeFileSync(join(base, 'file.txt'), 'hello');
    handle = await open(join(base, 'file.txt'));
  });
  after(async () => {
    await handle.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('writes directories, files with their content, symlinks and names longer than 100 characters', async () => {
    const stats = await handle.stat();
    const long = `out/${'n'.repeat(150)}.txt`;
    const archive = await encode([
      { kind: 'directory', path: 'out/', stats },
      { kind: 'file', path: 'out/file.txt', stats, handle },
      { kind: 'file', path: long, stats, handle },
      { kind: 'symlink', path: 'out/link', stats, target: '/etc/passwd' },
    ]);
    assert.equal(archive.length % 512, 0);
    assert.deepEqual(await parse(archive), [
      'Directory out/',
      'File out/file.txt hello',
      `File ${long} hello`,
      'SymbolicLink out/link -> /etc/passwd',
    ]);
  });

  it('stops at the size it announced for a file that grew, and refuses one that shrank', async () => {
    const grown = await handle.stat();
    grown.size = 3;
    assert.deepEqual(await parse(await encode([{ kind: 'file', path: 'out/file.txt', stats: grown, handle }])), [
      'File out/file.txt hel',
    ]);
    const shrunk = await handle.stat();
    shrunk.size = 10;
    await assert.rejects(
      encode([{ kind: 'file', path: 'out/file.txt', stats: shrunk, handle }]),
      (error: unknown) =>
        error instanceof ArtifactRefusedError && /shrank while it was being packed/.test(error.message),
    );
  });
});
