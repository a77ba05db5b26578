// Tests reading a script's two streams with injected arrival orders (no pipes, no timing), through the real splitter and engine.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { applyEngineEvent } from '../engine/apply-engine-event.js';
import { createEngineState } from '../engine/create-engine-state.js';
import type { EngineEvent, EngineState, LogLineEffect } from '../engine/engine-types.js';
import type { MarkerDialect } from '../markers/marker-dialect.js';
import { OutputBatcher } from './output-batcher.js';
import { ScriptOutputs } from './script-outputs.js';

const SECRET = 'hunter2-value';

/**
 * Two streams whose "pipe contents" the test holds: `arrive` is libuv reading a chunk, and each
 * catch-up reads what the test left in the pipes. Lines go through the real splitter and engine.
 */
function harness(
  limit = Number.POSITIVE_INFINITY,
  markers?: readonly MarkerDialect[],
): { pipes: Buffer[][]; arrive: (index: 0 | 1, text: string) => void; logs: LogLineEffect[]; close: () => void } {
  let state: EngineState = createEngineState(
    markers === undefined ? { markerMode: 'line_start' } : { markerMode: 'line_start', markers },
  );
  const logs: LogLineEffect[] = [];
  const feed = (event: EngineEvent): void => {
    const transition = applyEngineEvent(state, event);
    state = transition.state;
    for (const effect of transition.effects) if (effect.type === 'log') logs.push(effect.line);
  };
  feed({ type: 'started', at: 0, pid: 1 });
  const streams = [new PassThrough(), new PassThrough()] as const;
  const pipes: Buffer[][] = [[], []];
  const outputs = new ScriptOutputs(
    streams[0],
    streams[1],
    {
      beforeBatch: () => {},
      maskAhead: (content) => feed({ type: 'mask_ahead', content }),
      line: (stream, content, continuation) => feed({ type: 'line', at: 1, stream, content, continuation }),
      afterBatch: () => {},
      closed: () => {},
      guard: (handler) => handler(),
    },
    (stream) => (max, onChunk) => {
      const pipe = pipes[stream === streams[0] ? 0 : 1] ?? [];
      let taken = 0;
      while (pipe.length > 0 && taken < Math.min(max, limit)) {
        const chunk = pipe.shift() as Buffer;
        taken += chunk.length;
        onChunk(chunk);
      }
      return taken;
    },
  );
  return {
    pipes,
    arrive: (index, text) => streams[index].emit('data', Buffer.from(text)),
    logs,
    close: () => outputs.closeAll(),
  };
}

function backlog(lines: number, last: string): Buffer[] {
  const text = Array.from({ length: lines }, (_, i) => `line ${i + 1}\n`).join('') + last;
  const chunks: Buffer[] = [];
  for (let at = 0; at < text.length; at += 65_536) chunks.push(Buffer.from(text.slice(at, at + 65_536)));
  return chunks;
}

const shown = (logs: readonly LogLineEffect[]): string[] => logs.map((line) => `${line.stream}:${line.content}`);

describe('ScriptOutputs', () => {
  it('masks a value printed on stderr after its ::add-mask:: on a backed-up stdout, though stderr is read first (issue 11)', () => {
    const { pipes, arrive, logs, close } = harness();
    // The 20,000 lines and the mask line wait in the stdout pipe; the value's chunk on stderr is read first.
    pipes[0]?.push(...backlog(20_000, `::add-mask::${SECRET}\n`));
    arrive(1, `${SECRET}\n`);
    close();
    assert.equal(logs.length, 20_002);
    assert.equal(
      logs.some((line) => line.content.includes(SECRET)),
      false,
      'the value is never logged in clear',
    );
    assert.ok(shown(logs).includes('stdout:::add-mask::***'));
    assert.ok(shown(logs).includes('stderr:***'));
  });

  it('masks the other way round too: MASK on stderr, the value on a stdout chunk read first', () => {
    const { pipes, arrive, logs, close } = harness();
    pipes[1]?.push(Buffer.from(`MASK:${SECRET}\n`));
    arrive(0, `before ${SECRET}\n`);
    close();
    assert.deepEqual(shown(logs).sort(), ['stderr:MASK:***', 'stdout:before ***']);
  });

  it('masks ahead for Azure task.setsecret too, when the execution reads Azure markers', () => {
    const { pipes, arrive, logs, close } = harness(Number.POSITIVE_INFINITY, ['azure']);
    pipes[0]?.push(...backlog(20_000, `##vso[task.setSecret]${SECRET}\n`));
    arrive(1, `${SECRET}\n`);
    close();
    assert.equal(
      logs.some((line) => line.content.includes(SECRET)),
      false,
      'the value is never logged in clear',
    );
    assert.ok(shown(logs).includes('stderr:***'));
  });

  it('reads task.setsecret as text when the execution does not read Azure markers', () => {
    const { pipes, arrive, logs, close } = harness(Number.POSITIVE_INFINITY, ['stepflow']);
    pipes[0]?.push(Buffer.from(`##vso[task.setsecret]${SECRET}\n`));
    arrive(1, `${SECRET}\n`);
    close();
    assert.deepEqual(shown(logs).sort(), [`stderr:${SECRET}`, `stdout:##vso[task.setsecret]${SECRET}`]);
  });

  it('would leak the value if the other stream were not read with the chunk (what the runner did before)', () => {
    const { pipes, arrive, logs } = harness(0);
    pipes[0]?.push(...backlog(20_000, `::add-mask::${SECRET}\n`));
    arrive(1, `${SECRET}\n`);
    assert.deepEqual(shown(logs), [`stderr:${SECRET}`]);
  });

  it("keeps a single stream's order exact: a line before its MASK is stored as printed", () => {
    const { arrive, logs, close } = harness();
    arrive(0, 'first\n');
    arrive(0, `plain ${SECRET}\nMASK:${SECRET}\nafter ${SECRET}\n`);
    close();
    assert.deepEqual(shown(logs), ['stdout:first', `stdout:plain ${SECRET}`, 'stdout:MASK:***', 'stdout:after ***']);
  });

  it('reads back and forth until a read finds nothing: a MASK written on stdout while stderr was being read still comes first', () => {
    const { pipes, arrive, logs, close } = harness();
    // stdout's chunk is read; stderr then holds a line; by the time stderr is read, stdout holds the MASK and its value follows on stderr.
    pipes[1]?.push(Buffer.from('err one\n'), Buffer.from(`${SECRET} on stderr\n`));
    pipes[0]?.push(Buffer.from(`MASK:${SECRET}\n`));
    arrive(0, 'out one\n');
    close();
    assert.equal(
      logs.some((line) => line.content.includes(SECRET)),
      false,
      shown(logs).join(' | '),
    );
  });

  it('delivers a final line without a newline when the streams are closed', () => {
    const { pipes, arrive, logs, close } = harness();
    pipes[1]?.push(Buffer.from('tail'));
    arrive(0, 'head\n');
    close();
    assert.deepEqual(shown(logs).sort(), ['stderr:tail', 'stdout:head']);
  });
});

describe('OutputBatcher', () => {
  function batcherWith(pipes: Buffer[][], limit: number): { batcher: OutputBatcher; events: string[] } {
    const events: string[] = [];
    const batcher = new OutputBatcher(
      (index, chunk) => events.push(`${index}:${chunk.toString()}`),
      () => events.push('end'),
      limit,
    );
    pipes.forEach((pipe, index) =>
      batcher.add({
        readHeld: (max) => {
          let taken = 0;
          while (pipe[0] !== undefined && taken + pipe[0].length <= max) {
            const chunk = pipe.shift() as Buffer;
            taken += chunk.length;
            batcher.arrive(index, chunk);
          }
          return taken;
        },
      }),
    );
    return { batcher, events };
  }

  it('reads the other stream, and back while reads give bytes, then ends the batch once', () => {
    const pipes = [[Buffer.from('ab')], [Buffer.from('ef')]];
    const { batcher, events } = batcherWith(pipes, 100);
    batcher.arrive(1, Buffer.from('x'));
    // stderr's chunk: stdout is read (ab), so stderr is read again (ef), so stdout again (nothing).
    assert.deepEqual(events, ['1:x', '0:ab', '1:ef', 'end']);
  });

  it("leaves a lone stream's own pipe to its next read: one chunk, one batch", () => {
    const pipes = [[Buffer.from('more')], []];
    const { batcher, events } = batcherWith(pipes, 100);
    batcher.arrive(0, Buffer.from('x'));
    assert.deepEqual(events, ['0:x', 'end']);
  });

  it('reads at most its limit in one batch', () => {
    const pipes = [[Buffer.from('ab'), Buffer.from('cd'), Buffer.from('ef')], []];
    const { batcher, events } = batcherWith(pipes, 4);
    batcher.arrive(1, Buffer.from('x'));
    assert.deepEqual(events, ['1:x', '0:ab', '0:cd', 'end']);
    assert.equal(pipes[0]?.length, 1, 'the rest waits for its own read');
  });
});
