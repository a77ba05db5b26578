// Artifacts through a real server: ARTIFACT markers (files, directories, refusals, late and missing files), download with Range, upload, list, delete.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { Parser } from 'tar';
import type { WireArtifact, WireLogLine, WireStep } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

const MAX_BYTES = 64 * 1024;

interface Ran {
  id: string;
  steps: WireStep[];
  artifacts: WireArtifact[];
  lines: WireLogLine[];
}

const warnings = (lines: WireLogLine[]): string[] =>
  lines.filter((line) => line.stream === 'system').map((line) => line.content);

function assertContiguous(lines: WireLogLine[]): void {
  assert.deepEqual(
    lines.map((line) => line.line),
    lines.map((_, i) => i + 1),
    'line numbers are 1..n, unique and contiguous',
  );
}

async function tarEntries(bytes: Uint8Array): Promise<string[]> {
  const entries: string[] = [];
  const parser = new Parser({
    onReadEntry: (entry) => {
      entries.push(entry.path);
      entry.resume();
    },
  });
  await pipeline(Readable.from([Buffer.from(bytes)]), parser);
  return entries.sort();
}

function form(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array | string }): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  if (file) body.append('file', new Blob([file.bytes]), file.name);
  return body;
}

describe('artifacts', () => {
  let server: TestServer;
  const workdirs: string[] = [];
  before(async () => {
    server = await startServer({ maxArtifactBytes: MAX_BYTES });
  });
  after(async () => {
    await server.close();
    for (const dir of workdirs) rmSync(dir, { recursive: true, force: true });
  });

  async function run(command: string | string[]): Promise<Ran> {
    const dir = mkdtempSync(join(tmpdir(), 'stepflow-artifacts-'));
    workdirs.push(dir);
    const id = await server.create({ command, working_directory: dir });
    const { steps } = await server.waitForEnd(id);
    const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
    return { id, steps, artifacts: detail.body.data!.artifacts, lines: await server.allLines(id) };
  }

  async function upload(
    body: FormData,
  ): Promise<{ status: number; body: { data: WireArtifact | null; field?: string; code?: string } }> {
    const response = await fetch(`${server.url}/api/artifacts`, { method: 'POST', body });
    return {
      status: response.status,
      body: (await response.json()) as { data: WireArtifact | null; field?: string; code?: string },
    };
  }

  it('keeps an announced file with its size, type, mime and step', async () => {
    const { id, steps, artifacts, lines } = await run(`${FIXTURES}/artifact-file.sh`);
    assert.equal(artifacts.length, 1);
    const [artifact] = artifacts;
    assert.deepEqual(
      {
        name: artifact!.name,
        file_name: artifact!.file_name,
        size: artifact!.file_size,
        mime: artifact!.mime_type,
        type: artifact!.artifact_type,
        step: artifact!.step_id,
        description: artifact!.description,
      },
      {
        name: 'report.txt',
        file_name: 'report.txt',
        size: 15,
        mime: 'text/plain',
        type: 'document',
        step: steps[0]!.id,
        description: 'The report',
      },
    );
    assert.equal(artifact!.execution_id, id);
    assert.equal(artifact!.download_url, `/api/artifacts/${artifact!.id}/download`);
    assert.ok(existsSync(join(server.storage, 'artifacts', artifact!.file_path)));
    assert.deepEqual(warnings(lines), []);
  });

  it('downloads exactly the bytes, with safe headers, whole, by Range, and as HEAD', async () => {
    const { artifacts } = await run(`${FIXTURES}/artifact-file.sh`);
    const url = `${server.url}${artifacts[0]!.download_url}`;
    const whole = await fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(await whole.text(), 'hello artifact\n');
    assert.equal(whole.headers.get('content-type'), 'text/plain');
    assert.equal(
      whole.headers.get('content-disposition'),
      `attachment; filename="report.txt"; filename*=UTF-8''report.txt`,
    );
    assert.equal(whole.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');

    const part = await fetch(url, { headers: { range: 'bytes=0-4' } });
    assert.deepEqual(
      [part.status, part.headers.get('content-range'), await part.text()],
      [206, 'bytes 0-4/15', 'hello'],
    );
    const suffix = await fetch(url, { headers: { range: 'bytes=-9' } });
    assert.deepEqual(
      [suffix.status, suffix.headers.get('content-range'), await suffix.text()],
      [206, 'bytes 6-14/15', 'artifact\n'],
    );
    const beyond = await fetch(url, { headers: { range: 'bytes=100-' } });
    assert.deepEqual([beyond.status, beyond.headers.get('content-range')], [416, 'bytes */15']);
    assert.equal(((await beyond.json()) as { code: string }).code, 'range_not_satisfiable');

    const head = await fetch(url, { method: 'HEAD' });
    assert.deepEqual([head.status, head.headers.get('content-length'), await head.text()], [200, '15', '']);
  });

  it('keeps a directory as a .tar.gz with the right entries', async () => {
    const { artifacts } = await run(`${FIXTURES}/artifact-directory.sh`);
    assert.equal(artifacts.length, 1);
    const [artifact] = artifacts;
    assert.deepEqual(
      [artifact!.file_name, artifact!.mime_type, artifact!.artifact_type],
      ['out.tar.gz', 'application/gzip', 'archive'],
    );
    const bytes = new Uint8Array(await (await fetch(`${server.url}${artifact!.download_url}`)).arrayBuffer());
    assert.equal(bytes.length, artifact!.file_size);
    assert.deepEqual(await tarEntries(bytes), ['out/', 'out/a.txt', 'out/sub/', 'out/sub/b.txt']);
  });

  it('refuses paths outside the working directory with a warning line each, and keeps nothing', async () => {
    const { artifacts, lines } = await run(`${FIXTURES}/artifact-outside-workdir.sh`);
    assert.deepEqual(artifacts, []);
    const refused = warnings(lines);
    assert.equal(refused.length, 3, refused.join('\n'));
    assert.match(
      refused.find((line) => line.includes('"/etc/passwd"')) ?? '',
      /^warning: artifact "\/etc\/passwd" refused: .*outside/,
    );
    assert.match(refused.find((line) => line.includes('"../../x"')) ?? '', /refused: .*outside/);
    assert.match(refused.find((line) => line.includes('"passwd-link"')) ?? '', /refused: .*resolves to \/etc\/passwd/);
    assertContiguous(lines);
  });

  it('refuses a file over the size limit', async () => {
    const { artifacts, lines } = await run(`head -c ${MAX_BYTES + 1} /dev/zero > big.bin; echo ARTIFACT:big.bin`);
    assert.deepEqual(artifacts, []);
    assert.match(warnings(lines).join('\n'), /artifact "big.bin" refused: .*over the 65536-byte artifact limit/);
  });

  it('keeps a file announced before it exists once its step ends', async () => {
    const { steps, artifacts, lines } = await run(`${FIXTURES}/artifact-late.sh`);
    assert.deepEqual(
      artifacts.map((a) => [a.file_name, a.file_size, a.step_id]),
      [['late.txt', 5, steps[0]!.id]],
    );
    assert.deepEqual(warnings(lines), []);
  });

  it('records a file that never appeared as missing, with a warning line', async () => {
    const { artifacts, lines } = await run(`${FIXTURES}/artifact-missing.sh`);
    assert.deepEqual(artifacts, []);
    assert.deepEqual(warnings(lines), [
      'warning: artifact "never.txt" is missing: nothing was there when the execution ended',
    ]);
    assertContiguous(lines);
  });

  it('uploads a file, lists it with filters, and deletes it with its file', async () => {
    const { id, steps } = await run(`${FIXTURES}/artifact-file.sh`);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const created = await upload(
      form(
        {
          execution_id: String(id),
          name: 'Screenshot',
          step_id: String(steps[0]!.id),
          description: 'after deploy',
          tags: 'ui,nightly',
        },
        { name: 'écran 1.png', bytes: png },
      ),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const artifact = created.body.data!;
    assert.deepEqual(
      [
        artifact.name,
        artifact.file_name,
        artifact.file_size,
        artifact.mime_type,
        artifact.artifact_type,
        artifact.tags,
        artifact.step_id,
      ],
      ['Screenshot', 'écran 1.png', png.length, 'image/png', 'image', ['ui', 'nightly'], steps[0]!.id],
    );
    const download = await fetch(`${server.url}${artifact.download_url}`);
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), png);
    assert.equal(
      download.headers.get('content-disposition'),
      `attachment; filename="_cran 1.png"; filename*=UTF-8''%C3%A9cran%201.png`,
    );

    const list = async (query: string) =>
      (
        await server.request<{ artifacts: WireArtifact[]; total_count: number; has_more: boolean }>(
          'GET',
          `/api/artifacts?${query}`,
        )
      ).body.data!;
    const byExecution = await list(`execution_id=${id}`);
    assert.deepEqual(
      [byExecution.total_count, byExecution.artifacts.map((a) => a.artifact_type)],
      [2, ['image', 'document']],
    );
    assert.deepEqual(
      (await list(`execution_id=${id}&artifact_type=image`)).artifacts.map((a) => a.id),
      [artifact.id],
    );
    assert.equal((await list(`step_id=${steps[0]!.id}`)).total_count, 2);
    const paged = await list(`execution_id=${id}&limit=1`);
    assert.deepEqual([paged.artifacts.length, paged.has_more], [1, true]);

    const stored = join(server.storage, 'artifacts', artifact.file_path);
    assert.ok(existsSync(stored));
    assert.equal((await server.request('DELETE', `/api/artifacts/${artifact.id}`)).status, 200);
    assert.equal(existsSync(stored), false);
    assert.equal((await server.request('GET', `/api/artifacts/${artifact.id}`)).status, 404);
    assert.equal((await fetch(`${server.url}${artifact.download_url}`)).status, 404);
  });

  it('answers bad uploads with 400 naming the field, 404 for an unknown execution and 413 past the limit', async () => {
    const { id } = await run(`${FIXTURES}/artifact-file.sh`);
    const file = { name: 'a.txt', bytes: 'a' };
    const cases: Array<[FormData, number, string | undefined]> = [
      [form({ execution_id: String(id) }, file), 400, 'name'],
      [form({ execution_id: 'abc', name: 'x' }, file), 400, 'execution_id'],
      [form({ name: 'x' }, file), 400, 'execution_id'],
      [form({ execution_id: String(id), name: 'x' }), 400, 'file'],
      [form({ execution_id: String(id), name: 'x', artifact_type: 'movie' }, file), 400, 'artifact_type'],
      [form({ execution_id: String(id), name: 'x', step_id: '999999' }, file), 400, 'step_id'],
      [form({ execution_id: '999999', name: 'x' }, file), 404, 'execution_id'],
      [
        form({ execution_id: String(id), name: 'x' }, { name: 'big.bin', bytes: new Uint8Array(MAX_BYTES + 1) }),
        413,
        'file',
      ],
    ];
    for (const [body, status, field] of cases) {
      const response = await upload(body);
      assert.deepEqual([response.status, response.body.field], [status, field], JSON.stringify(response.body));
    }
    const exact = await upload(
      form({ execution_id: String(id), name: 'x' }, { name: 'max.bin', bytes: new Uint8Array(MAX_BYTES) }),
    );
    assert.equal(exact.status, 201, 'a file of exactly the limit is accepted');
    const json = await server.request('POST', '/api/artifacts', { execution_id: id });
    assert.equal(json.status, 415);
    assert.deepEqual(
      (await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`)).body.data!.artifacts.length,
      2,
    );
  });
});
