// REST contract of /api/executions against a real server: envelope, create, get, list filters, errors, delete, logs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WireExecution, WireLogPage } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, waitForStatus, type TestServer } from './harness.js';

const EXECUTION_FIELDS = [
  'id',
  'name',
  'command',
  'working_directory',
  'status',
  'exit_code',
  'error_message',
  'created_at',
  'started_at',
  'completed_at',
  'environment',
  'user',
  'tags',
  'total_steps',
  'completed_steps',
  'current_step_index',
  'duration_seconds',
  'progress_percentage',
  'metadata',
];
const STEP_FIELDS = [
  'id',
  'execution_id',
  'name',
  'description',
  'index',
  'status',
  'exit_code',
  'error_message',
  'created_at',
  'started_at',
  'completed_at',
  'estimated_duration',
  'stop_on_error',
  'duration_seconds',
  'metadata',
];

describe('executions API', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('creates an execution at once and runs it to completion with its steps', async () => {
    const created = await server.request<{ execution_id: string; status: string; created_at: string }>(
      'POST',
      '/api/executions',
      { name: 'basic', command: './steps-basic.sh', tags: ['ci', 'fast'], user: 'ana', metadata: { ticket: 12 } },
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.success, true);
    assert.equal(created.body.error, null);
    assert.match(created.body.timestamp, /Z$/);
    assert.equal(created.body.data?.status, 'pending');
    assert.match(created.body.data?.created_at ?? '', /^\d{4}-\d\d-\d\dT.*Z$/);
    const { execution, steps } = await server.waitForEnd(created.body.data!.execution_id);
    for (const field of EXECUTION_FIELDS) assert.ok(field in execution, `execution has ${field}`);
    for (const field of STEP_FIELDS) assert.ok(field in steps[0]!, `step has ${field}`);
    assert.equal(execution.status, 'completed');
    assert.equal(execution.exit_code, 0);
    assert.equal(execution.progress_percentage, 100);
    assert.deepEqual(execution.tags, ['ci', 'fast']);
    assert.equal(execution.user, 'ana');
    assert.deepEqual(execution.metadata, { ticket: 12, owner: 'ci' });
    assert.deepEqual(
      steps.map((step) => [step.name, step.status, step.index]),
      [
        ['Build', 'completed', 0],
        ['Test', 'completed', 1],
      ],
    );
    assert.equal(steps[0]!.estimated_duration, 3);
    assert.equal(steps[0]!.metadata.artifact_count, 2);
  });

  it('keeps output outside steps, blank lines, indentation and the stream of each line', async () => {
    const id = await server.create({ command: './steps-basic.sh' });
    const { steps } = await server.waitForEnd(id);
    const lines = await server.allLines(id);
    // Order is only defined within one stream: stdout and stderr are separate pipes.
    const stdout = lines.filter((line) => line.stream === 'stdout').map((line) => line.content);
    assert.deepEqual(
      stdout.filter((line) => !line.includes(':')),
      ['before any step', '  compiling (indented)', '', 'between steps', 'after the last step'],
    );
    const byContent = new Map(lines.map((line) => [line.content, line]));
    assert.equal(byContent.get('before any step')?.step_id, null);
    assert.equal(byContent.get('between steps')?.step_id, null);
    assert.equal(byContent.get('  compiling (indented)')?.step_id, steps[0]!.id);
    assert.equal(byContent.get('testing')?.stream, 'stderr');
    assert.equal(byContent.get('testing')?.level, 'error');
    assert.deepEqual(
      lines.map((line) => line.line),
      lines.map((_, index) => index + 1),
    );
  });

  it('pages logs by line and filters by step and stream', async () => {
    const id = await server.create({ command: ['./print-lines.sh', '1000'] });
    const { steps } = await server.waitForEnd(id);
    const page = await server.request<WireLogPage>('GET', `/api/executions/${id}/logs?offset=500&limit=10`);
    assert.equal(page.body.data?.total_lines, 1002);
    assert.deepEqual(
      page.body.data?.lines.map((line) => line.line),
      [501, 502, 503, 504, 505, 506, 507, 508, 509, 510],
    );
    assert.equal(page.body.data?.lines[0]?.content, 'line 500');
    assert.equal(page.body.data?.has_more, true);
    assert.equal(page.body.data?.is_running, false);
    const byStep = await server.request<WireLogPage>(
      'GET',
      `/api/executions/${id}/logs?step_id=${steps[0]!.id}&limit=5`,
    );
    assert.equal(byStep.body.data?.total_lines, 1002);
    const outside = await server.request<WireLogPage>('GET', `/api/executions/${id}/logs?step_id=none`);
    assert.equal(outside.body.data?.total_lines, 0);
    const stderr = await server.request<WireLogPage>('GET', `/api/executions/${id}/logs?stream=stderr`);
    assert.equal(stderr.body.data?.total_lines, 0);
    const raw = await fetch(`${server.url}/api/executions/${id}/logs/raw`);
    assert.match(raw.headers.get('content-type') ?? '', /^text\/plain/);
    const body = await raw.text();
    assert.equal(body.split('\n').length, 1003);
    assert.ok(body.startsWith('STEP_START:Count\nline 1\n'));
  });

  it('lists newest first with totals, has_more and every filter', async () => {
    const a = await server.create({ name: 'alpha 100%', command: 'true', user: 'zoe', tags: ['nightly'] });
    const b = await server.create({ name: 'beta', command: 'false', user: 'yan' });
    await server.waitForEnd(a);
    await server.waitForEnd(b);
    const list = await server.request<{ executions: WireExecution[]; total_count: number; has_more: boolean }>(
      'GET',
      '/api/executions?limit=1',
    );
    assert.equal(list.body.data?.executions[0]?.id, b);
    assert.equal(list.body.data?.has_more, true);
    assert.ok((list.body.data?.total_count ?? 0) >= 2);
    const ids = async (query: string) =>
      (
        await server.request<{ executions: WireExecution[] }>('GET', `/api/executions?${query}`)
      ).body.data?.executions.map((e) => e.id);
    assert.deepEqual(await ids('user=zoe'), [a]);
    assert.deepEqual(await ids('tag=nightly'), [a]);
    assert.deepEqual(await ids('q=100%25'), [a]);
    assert.deepEqual(await ids('status=failed&user=yan'), [b]);
    assert.deepEqual(await ids(`created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), []);
    const stats = await server.request<{
      total_executions: number;
      success_rate: number;
      by_status: Record<string, number>;
    }>('GET', '/api/executions/statistics');
    assert.ok((stats.body.data?.by_status.failed ?? 0) >= 1);
    assert.ok((stats.body.data?.total_executions ?? 0) >= 2);
  });

  it('answers bad input with 4xx and a JSON body naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'command'],
      [{ command: '' }, 'command'],
      [{ command: 'true', timeout: -1 }, 'timeout'],
      [{ command: 'true', surprise: 1 }, 'surprise'],
      [{ command: 'true', working_directory: '/no/such/dir' }, 'working_directory'],
      [{ command: 'true', environment: { 'BAD NAME': 'x' } }, 'environment'],
      [{ command: 42 }, 'command'],
    ];
    for (const [body, field] of cases) {
      const response = await server.request('POST', '/api/executions', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.success, false);
      assert.equal(response.body.code, 'validation_failed');
      assert.equal(response.body.field, field, `${JSON.stringify(body)} -> ${JSON.stringify(response.body)}`);
    }
    const text = await server.request('POST', '/api/executions', 'command=true', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
    assert.equal(text.body.code, 'unsupported_media_type');
    const form = await server.request('POST', '/api/executions', 'command=true', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415);
    const huge = await server.request('POST', '/api/executions', { command: 'x'.repeat(2_000_000) });
    assert.equal(huge.status, 413);
    const badJson = await server.request('POST', '/api/executions', '{"command":', {
      'content-type': 'application/json',
    });
    assert.equal(badJson.status, 400);
    for (const [path, status, code] of [
      ['/api/executions/999999', 404, 'execution_not_found'],
      ['/api/executions/abc', 404, 'execution_not_found'],
      ['/api/executions/5a1f3c2e-uuid', 404, 'execution_not_found'],
      ['/api/executions?limit=5000', 400, 'validation_failed'],
      ['/api/executions?offset=-1', 400, 'validation_failed'],
      ['/api/executions?status=bogus', 400, 'validation_failed'],
      ['/api/nope', 404, 'route_not_found'],
    ] as const) {
      const response = await server.request('GET', path);
      assert.equal(response.status, status, path);
      assert.equal(response.body.code, code, path);
      assert.equal(response.body.success, false);
    }
  });

  it('refuses to delete a running execution unless forced, and removes everything when deleting', async () => {
    const id = await server.create({ command: `${FIXTURES}/sleep-forever.sh` });
    await waitForStatus(server, id, 'running');
    const refused = await server.request('DELETE', `/api/executions/${id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'execution_running');
    const forced = await server.request<{ message: string }>('DELETE', `/api/executions/${id}?force=true`);
    assert.equal(forced.status, 200);
    assert.match(forced.body.data?.message ?? '', /deleted/);
    assert.equal((await server.request('GET', `/api/executions/${id}`)).status, 404);
    assert.equal((await server.request('GET', `/api/executions/${id}/logs`)).status, 404);
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/api/executions']?.post?.requestBody, 'POST /api/executions documents its body');
    assert.ok(doc.paths['/api/executions/{id}/logs']?.get);
  });
});
