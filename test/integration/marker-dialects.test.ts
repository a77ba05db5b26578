// Marker dialects end to end: chosen per execution (or by the server default), read by a real server from a real script, nested steps on the wire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, startServer, type TestServer } from './harness.js';

const SCRIPT = `${FIXTURES}/github-groups.sh`;

describe('marker dialects', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it('refuses an unknown dialect with a 400 naming the markers field', async () => {
    const response = await server.request('POST', '/api/executions', { command: [SCRIPT], markers: ['github', 'jenkins'] });
    assert.equal(response.status, 400);
    assert.equal(response.body.field, 'markers');
    assert.match(response.body.error ?? '', /jenkins/);
  });

  it('reads GitHub groups as nested steps by default, linked by parent_id, with the add-mask value hidden', async () => {
    const id = await server.create({ command: [SCRIPT] });
    const { execution, steps } = await server.waitForEnd(id);
    assert.deepEqual(execution.markers, ['stepflow', 'github', 'gitlab']);
    assert.deepEqual(steps.map((step) => [step.name, step.status, step.depth]), [['Build', 'completed', 0], ['Compile', 'completed', 1]]);
    assert.equal(steps[1]?.parent_id, steps[0]?.id);
    assert.equal(steps[0]?.parent_id, null);
    const lines = await server.allLines(id);
    assert.ok(lines.some((line) => line.content === 'token is ***'), 'the add-mask value was stored in clear');
    assert.ok(!lines.some((line) => line.content.includes('hunter2-secret')));
    assert.equal(lines[0]?.content, '::group::Build', 'the stored log keeps the marker lines as printed');
  });

  it('keeps the same script plain text when the execution chooses StepFlow markers only', async () => {
    const id = await server.create({ command: [SCRIPT], markers: ['stepflow'] });
    const { execution, steps } = await server.waitForEnd(id);
    assert.deepEqual(execution.markers, ['stepflow']);
    assert.deepEqual(steps, []);
  });

  it('uses STEPFLOW_MARKERS as the default of executions that choose none', async () => {
    const tapOnly = await startServer({ markers: ['tap'] });
    try {
      const id = await tapOnly.create({ command: ['/bin/sh', '-c', 'echo "ok 1 - parses"; echo "::group::not read"'] });
      const { execution, steps } = await tapOnly.waitForEnd(id);
      assert.deepEqual(execution.markers, ['tap']);
      assert.deepEqual(steps.map((step) => [step.name, step.status]), [['parses', 'completed']]);
    } finally {
      await tapOnly.close();
    }
  });
});
