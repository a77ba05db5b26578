// Tests walkDirectoryBeneath: order, symlinks as links, special files left out, the depth cap, and a subdirectory swapped mid-walk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactRefusedError } from './artifact-refused-error.js';
import { MAX_PACK_DEPTH, walkDirectoryBeneath, type PackEntry } from './walk-directory-beneath.js';

async function withDirectory<T>(path: string, use: (entries: AsyncGenerator<PackEntry>) => Promise<T>): Promise<T> {
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return await use(walkDirectoryBeneath(handle, 'out'));
  } finally {
    await handle.close();
  }
}

const describeEntry = async (entry: PackEntry): Promise<string> =>
  entry.kind === 'file'
    ? `${entry.path}=${await entry.handle.readFile('utf8')}`
    : entry.kind === 'symlink'
      ? `${entry.path}->${entry.target}`
      : entry.path;

describe('walkDirectoryBeneath', () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-walk-'));
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(base, 'outside', 'b.txt'), 'CANARY');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('yields the directory, then its entries sorted and depth first; a symlink as a link, a FIFO not at all', async () => {
    const out = join(base, 'plain');
    mkdirSync(join(out, 'sub'), { recursive: true });
    writeFileSync(join(out, 'z.txt'), 'z');
    writeFileSync(join(out, 'sub', 'b.txt'), 'b');
    symlinkSync(join(base, 'outside'), join(out, 'a-link'));
    execFileSync('mkfifo', [join(out, 'pipe')]);
    const seen = await withDirectory(out, async (entries) => {
      const described: string[] = [];
      for await (const entry of entries) described.push(await describeEntry(entry));
      return described;
    });
    assert.deepEqual(seen, [
      'out/',
      `out/a-link->${join(base, 'outside')}`,
      'out/sub/',
      'out/sub/b.txt=b',
      'out/z.txt=z',
    ]);
  });

  it('keeps reading a subdirectory it opened after that subdirectory was swapped for a symlink to outside', async () => {
    const out = join(base, 'swapped');
    mkdirSync(join(out, 'sub'), { recursive: true });
    writeFileSync(join(out, 'sub', 'b.txt'), 'inside');
    const seen = await withDirectory(out, async (entries) => {
      const described: string[] = [];
      for await (const entry of entries) {
        described.push(await describeEntry(entry));
        if (entry.path !== 'out/sub/') continue;
        renameSync(join(out, 'sub'), join(base, 'moved-away'));
        symlinkSync(join(base, 'outside'), join(out, 'sub'));
      }
      return described;
    });
    assert.deepEqual(seen, ['out/', 'out/sub/', 'out/sub/b.txt=inside']);
  });

  it(`refuses directories nested deeper than ${MAX_PACK_DEPTH}`, async () => {
    const out = join(base, 'deep');
    mkdirSync(join(out, ...Array.from({ length: MAX_PACK_DEPTH + 1 }, () => 'd')), { recursive: true });
    const error = await withDirectory(out, async (entries) => {
      for await (const _entry of entries);
    }).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ArtifactRefusedError);
    assert.match(error.message, new RegExp(`is nested deeper than ${MAX_PACK_DEPTH} directories$`));
  });
});
