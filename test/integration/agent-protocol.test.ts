// The agent protocol as a contract: a hand-driven agent over HTTP gets clear refusals for bad input, and nothing is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AGENT_PROTOCOL_VERSION,
  type AgentAssignment,
  type AgentInstructions,
  type AgentRegistered,
} from '../../src/core/agent-protocol.js';
import { openKeyManager } from '../../src/open-key-manager.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';
import { connectWs } from './ws-test-client.js';

const ADMIN = 'admin-key-for-agent-protocol-tests';
const logLine = (line: number, content = `line ${line}`) => ({
  type: 'log',
  line: { line, ts: Date.now(), stream: 'stdout', step_index: null, content },
});

describe('agent protocol', () => {
  let server: TestServer;
  let agentKey: string;
  let viewerKey: string;
  let otherAgentKey: string;
  const admin = { authorization: `Bearer ${ADMIN}` };
  let auth: Record<string, string>;

  before(async () => {
    server = await startServer({ authEnabled: true, apiKey: ADMIN, localExecutor: false, authFailuresPerMinute: 0 });
    const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
    agentKey = (await manager.create('agent-1', 'agent')).key;
    otherAgentKey = (await manager.create('agent-2', 'agent')).key;
    viewerKey = (await manager.create('viewer-1', 'viewer')).key;
    await manager.close();
    auth = { authorization: `Bearer ${agentKey}` };
  });
  after(() => server.close());

  async function register(name: string, headers = auth, protocol = AGENT_PROTOCOL_VERSION) {
    return server.request<AgentRegistered>(
      'POST',
      '/api/agent/register',
      { type: 'register', protocol, name, labels: [name], version: 'test', concurrency: 1, running: [] },
      headers,
    );
  }

  async function claim(session: string, headers = auth): Promise<AgentAssignment> {
    const reply = await server.request<AgentInstructions>(
      'POST',
      '/api/agent/heartbeat',
      { type: 'heartbeat', protocol: AGENT_PROTOCOL_VERSION, session, running: [], free_slots: 1, wait_ms: 2000 },
      headers,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const [assignment] = reply.body.data!.assign;
    assert.ok(assignment, 'an execution was assigned');
    return assignment;
  }

  const batch = (session: string, executionId: string, seq: number, effects: unknown[], headers = auth) =>
    server.request<{ seq: number; duplicate: boolean; last_line: number }>(
      'POST',
      '/api/agent/batches',
      { type: 'batch', protocol: AGENT_PROTOCOL_VERSION, session, execution_id: executionId, seq, effects },
      headers,
    );

  const stored = async (id: string) =>
    (await server.request<{ total_lines: number }>('GET', `/api/executions/${id}/logs`, undefined, admin)).body.data!
      .total_lines;

  it('refuses an agent of another protocol version clearly, not with a hang', async () => {
    const answer = await register('future', auth, AGENT_PROTOCOL_VERSION + 1);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'agent_protocol_unsupported');
    assert.match(answer.body.error ?? '', /speaks agent protocol 1; the agent speaks 2/);
  });

  it('lets an agent key reach only the agent routes, and other keys not reach them', async () => {
    for (const path of ['/api/executions', '/api/agents', '/api/executions/active'])
      assert.equal((await server.request('GET', path, undefined, auth)).status, 403, path);
    assert.equal((await server.request('POST', '/api/executions', { command: 'true' }, auth)).status, 403);
    assert.equal((await register('by-viewer', { authorization: `Bearer ${viewerKey}` })).status, 403);
    assert.equal(
      (await server.request('POST', '/api/session', { key: agentKey })).status,
      403,
      'no dashboard sign-in with an agent key',
    );
    await assert.rejects(connectWs(server.url.replace('http', 'ws') + '/ws', { authorization: `Bearer ${agentKey}` }));
  });

  it('applies each batch once, in order, and refuses gaps, forged numbers, strangers, malformed and oversized batches without storing anything', async () => {
    const session = (await register('fake')).body.data!.session;
    const unheld = await server.create({ command: 'true', working_directory: FIXTURES, runs_on: ['nobody'] });
    const id = (
      await server.request<{ execution_id: string }>(
        'POST',
        '/api/executions',
        { command: 'true', working_directory: FIXTURES, runs_on: ['fake'] },
        admin,
      )
    ).body.data!.execution_id;
    assert.equal((await claim(session)).execution_id, id);

    const notHeld = await batch(session, unheld, 1, [logLine(1)]);
    assert.deepEqual([notHeld.status, notHeld.body.code], [409, 'agent_not_holder']);
    const skippedBatch = await batch(session, id, 2, [logLine(1)]);
    assert.deepEqual(
      [skippedBatch.status, skippedBatch.body.code, skippedBatch.body.field],
      [409, 'agent_batch_gap', 'seq'],
    );
    const skippedLine = await batch(session, id, 1, [logLine(2)]);
    assert.deepEqual([skippedLine.status, skippedLine.body.code], [409, 'agent_batch_gap']);
    const outOfOrder = await batch(session, id, 1, [logLine(1), logLine(3)]);
    assert.deepEqual(
      [outOfOrder.status, outOfOrder.body.code, outOfOrder.body.field],
      [409, 'agent_batch_gap', 'effects.1'],
    );
    const malformed = await batch(session, id, 1, [{ type: 'log', line: { line: 'one' } }]);
    assert.deepEqual([malformed.status, malformed.body.code], [400, 'validation_failed']);
    const unknownEffect = await batch(session, id, 1, [{ type: 'run_shell', command: 'rm -rf /' }]);
    assert.equal(unknownEffect.status, 400);
    const oversized = await batch(session, id, 1, [logLine(1, 'x'.repeat(9 * 1024 * 1024))]);
    assert.deepEqual([oversized.status, oversized.body.code], [413, 'payload_too_large']);
    const stranger = (await register('stranger', { authorization: `Bearer ${otherAgentKey}` })).body.data!.session;
    const hijack = await batch(stranger, id, 1, [logLine(1)], { authorization: `Bearer ${otherAgentKey}` });
    assert.deepEqual([hijack.status, hijack.body.code], [409, 'agent_not_holder']);
    const stolenSession = await batch(session, id, 1, [logLine(1)], { authorization: `Bearer ${otherAgentKey}` });
    assert.equal(stolenSession.status, 403);
    assert.equal(await stored(id), 0, 'no refused batch stored anything');

    const first = await batch(session, id, 1, [logLine(1), logLine(2)]);
    assert.deepEqual([first.status, first.body.data!.duplicate, first.body.data!.last_line], [200, false, 2]);
    const again = await batch(session, id, 1, [logLine(1), logLine(2)]);
    assert.deepEqual([again.status, again.body.data!.duplicate], [200, true]);
    const overlap = await batch(session, id, 2, [logLine(2), logLine(3)]);
    assert.deepEqual(
      [overlap.status, overlap.body.data!.last_line],
      [200, 3],
      'a line already stored is left out, the new one kept',
    );
    const lines = (
      await server.request<{ lines: { line: number; content: string }[] }>(
        'GET',
        `/api/executions/${id}/logs`,
        undefined,
        admin,
      )
    ).body.data!.lines;
    assert.deepEqual(
      lines.map((l) => [l.line, l.content]),
      [
        [1, 'line 1'],
        [2, 'line 2'],
        [3, 'line 3'],
      ],
    );
  });

  it('answers an unknown session so the agent registers again', async () => {
    const answer = await batch('no-such-session', '1', 1, []);
    assert.deepEqual([answer.status, answer.body.code], [409, 'agent_session_unknown']);
  });
});
