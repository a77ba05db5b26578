// The agent protocol as a contract: a hand-driven agent over HTTP gets clear refusals for bad input, and nothing is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AGENT_PROTOCOL_VERSION,
  type AgentAck,
  type AgentAssignment,
  type AgentBatchResults,
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

  async function claim(session: string, headers = auth, running: string[] = []): Promise<AgentAssignment> {
    const reply = await server.request<AgentInstructions>(
      'POST',
      '/api/agent/heartbeat',
      { type: 'heartbeat', protocol: AGENT_PROTOCOL_VERSION, session, running, free_slots: 1, wait_ms: 2000 },
      headers,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const [assignment] = reply.body.data!.assign;
    assert.ok(assignment, 'an execution was assigned');
    return assignment;
  }

  const batches = (
    session: string,
    list: { execution_id: string; seq: number; effects: unknown[] }[],
    headers = auth,
  ) =>
    server.request<AgentBatchResults>(
      'POST',
      '/api/agent/batches',
      { type: 'batches', protocol: AGENT_PROTOCOL_VERSION, session, batches: list },
      headers,
    );

  /** Sends one batch alone; a refusal of that batch reads like a refusal of the request (its status, code, field). */
  async function batch(session: string, executionId: string, seq: number, effects: unknown[], headers = auth) {
    const answer = await batches(session, [{ execution_id: executionId, seq, effects }], headers);
    const result = answer.body.data?.results[0];
    if (answer.status !== 200 || result === undefined)
      return { status: answer.status, body: { ...answer.body, data: null as AgentAck | null } };
    if (result.type === 'ack') return { status: 200, body: { data: result, code: undefined, field: undefined } };
    return { status: result.status, body: { data: null, code: result.code, field: result.field, error: result.error } };
  }

  const claimNew = async (session: string, label = 'fake', running: string[] = []): Promise<string> => {
    const id = (
      await server.request<{ execution_id: string }>(
        'POST',
        '/api/executions',
        { command: 'true', working_directory: FIXTURES, runs_on: [label] },
        admin,
      )
    ).body.data!.execution_id;
    assert.equal((await claim(session, auth, running)).execution_id, id);
    return id;
  };

  const storedLines = async (id: string) =>
    (
      await server.request<{ lines: { line: number; content: string }[] }>(
        'GET',
        `/api/executions/${id}/logs`,
        undefined,
        admin,
      )
    ).body.data!.lines.map((l) => [l.line, l.content]);

  const stored = async (id: string) =>
    (await server.request<{ total_lines: number }>('GET', `/api/executions/${id}/logs`, undefined, admin)).body.data!
      .total_lines;

  it('refuses an agent of another protocol version clearly, not with a hang', async () => {
    const answer = await register('future', auth, AGENT_PROTOCOL_VERSION + 1);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'agent_protocol_unsupported');
    assert.match(
      answer.body.error ?? '',
      new RegExp(`speaks agent protocol ${AGENT_PROTOCOL_VERSION}; the agent speaks ${AGENT_PROTOCOL_VERSION + 1}`),
    );
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
    const id = await claimNew(session);

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
    assert.deepEqual(await storedLines(id), [
      [1, 'line 1'],
      [2, 'line 2'],
      [3, 'line 3'],
    ]);
  });

  it('answers each batch of a request on its own: one refused leaves the others stored; a malformed one refuses the request', async () => {
    const session = (await register('multi')).body.data!.session;
    const a = await claimNew(session, 'multi');
    const b = await claimNew(session, 'multi', [a]);
    const malformed = await batches(session, [
      { execution_id: a, seq: 1, effects: [logLine(1)] },
      { execution_id: b, seq: 1, effects: [{ type: 'log', line: { line: 'one' } }] },
    ]);
    assert.deepEqual([malformed.status, malformed.body.code], [400, 'validation_failed']);
    assert.equal(await stored(a), 0, 'a malformed request stores none of its batches');
    const mixed = await batches(session, [
      { execution_id: a, seq: 1, effects: [logLine(1), logLine(2)] },
      { execution_id: b, seq: 2, effects: [logLine(1)] },
    ]);
    assert.equal(mixed.status, 200);
    assert.deepEqual(
      mixed.body.data!.results.map((result) =>
        result.type === 'ack'
          ? [result.type, result.execution_id, result.last_line]
          : [result.type, result.execution_id, result.status, result.code, result.field],
      ),
      [
        ['ack', a, 2],
        ['refused', b, 409, 'agent_batch_gap', 'seq'],
      ],
    );
    assert.deepEqual([await stored(a), await stored(b)], [2, 0]);
  });

  it('stores grouped lines once and in order, refusing a group that skips a line or carries a line too long', async () => {
    const session = (await register('grouped')).body.data!.session;
    const id = await claimNew(session, 'grouped');
    const group = (first: number, content: string[]) => ({
      type: 'lines',
      first,
      ts: Date.now(),
      stream: 'stdout',
      step_index: null,
      content,
    });
    const skipped = await batch(session, id, 1, [group(2, ['b'])]);
    assert.deepEqual(
      [skipped.status, skipped.body.code, skipped.body.field],
      [409, 'agent_batch_gap', 'effects.0.content.0'],
    );
    const tooLong = await batch(session, id, 1, [group(1, ['a', 'x'.repeat(4 * 1024 * 1024 + 1)])]);
    assert.deepEqual(
      [tooLong.status, tooLong.body.code, tooLong.body.field],
      [400, 'validation_failed', 'effects.0.content.1'],
    );
    assert.equal(await stored(id), 0, 'a refused group stores none of its lines');
    assert.equal((await batch(session, id, 1, [group(1, ['a', 'b'])])).body.data?.last_line, 2);
    const resent = await batch(session, id, 2, [group(2, ['b', 'c']), logLine(4, 'd')]);
    assert.equal(resent.body.data?.last_line, 4, 'a line already stored is left out of its group');
    assert.deepEqual(await storedLines(id), [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
  });

  it('answers an unknown session so the agent registers again', async () => {
    const answer = await batch('no-such-session', '1', 1, []);
    assert.deepEqual([answer.status, answer.body.code], [409, 'agent_session_unknown']);
  });
});
