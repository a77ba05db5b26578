// Unit tests for the agent's batch sender: batches waiting together share a request, each gets its own answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentBatchResults } from '../core/agent-protocol.js';
import { AgentRequestError, type AgentClient } from './agent-client.js';
import { BatchSender } from './batch-sender.js';

interface Sent {
  ids: string[];
  answer(results: AgentBatchResults['results'] | Error): void;
}

/** A client whose batches requests stay open until the test answers them. */
function holdingClient(): { client: AgentClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const unused = (): never => assert.fail('not a batches request');
  const client: AgentClient = {
    register: unused,
    heartbeat: unused,
    upload: unused,
    batches: (body) =>
      new Promise((resolve, reject) => {
        const message = JSON.parse(Buffer.concat(body.map((part) => Buffer.from(part))).toString()) as {
          type: string;
          session: string;
          batches: { execution_id: string }[];
        };
        assert.deepEqual([message.type, message.session], ['batches', 'token']);
        sent.push({
          ids: message.batches.map((batch) => batch.execution_id),
          answer: (results) => (results instanceof Error ? reject(results) : resolve({ type: 'results', results })),
        });
      }),
  };
  return { client, sent };
}

const body = (id: string): Buffer => Buffer.from(JSON.stringify({ execution_id: id, seq: 1, effects: [] }));
const ack = (id: string) => ({ type: 'ack' as const, execution_id: id, seq: 1, last_line: 1, duplicate: false });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchSender', () => {
  it('sends batches handed over together in one request, and those waiting for a free request in the next one', async () => {
    const { client, sent } = holdingClient();
    const sender = new BatchSender({ client, session: async () => 'token' }, 1);
    const first = [sender.send(body('1')), sender.send(body('2'))];
    await tick();
    const later = [sender.send(body('3')), sender.send(body('4')), sender.send(body('5'))];
    await tick();
    assert.deepEqual(
      sent.map((request) => request.ids),
      [['1', '2']],
      'one request in flight at most',
    );
    sent[0]!.answer([ack('1'), ack('2')]);
    assert.deepEqual(
      (await Promise.all(first)).map((answer) => answer.execution_id),
      ['1', '2'],
    );
    await tick();
    assert.deepEqual(sent[1]!.ids, ['3', '4', '5'], 'the waiting batches leave together');
    sent[1]!.answer([
      ack('3'),
      { type: 'refused', execution_id: '4', seq: 1, status: 409, code: 'agent_batch_gap', error: 'gap', field: 'seq' },
      ack('5'),
    ]);
    const settled = await Promise.allSettled(later);
    assert.deepEqual(
      settled.map((one) => (one.status === 'fulfilled' ? 'ack' : (one.reason as AgentRequestError).code)),
      ['ack', 'agent_batch_gap', 'ack'],
      'a refused batch fails alone',
    );
  });

  it('fails every batch of a request that failed, and keeps the byte limit per request', async () => {
    const { client, sent } = holdingClient();
    const sender = new BatchSender({ client, session: async () => 'token' }, 2, body('1').length * 2 + 2);
    const all = ['1', '2', '3'].map((id) => sender.send(body(id)));
    await tick();
    assert.deepEqual(
      sent.map((request) => request.ids),
      [['1', '2'], ['3']],
    );
    sent[0]!.answer(new AgentRequestError(0, 'unreachable', 'cut'));
    sent[1]!.answer([ack('3')]);
    const settled = await Promise.allSettled(all);
    assert.deepEqual(
      settled.map((one) => one.status),
      ['rejected', 'rejected', 'fulfilled'],
    );
  });
});
