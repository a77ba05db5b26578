// Property tests of the engine under arbitrary marker sequences: every bound holds, its accounting is exact, continuation pieces never act.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzSettings } from '../../test/fuzz-settings.js';
import { applyEngineEvent } from './apply-engine-event.js';
import { createEngineState } from './create-engine-state.js';
import {
  MAX_ARTIFACTS,
  MAX_MASKED_BYTES,
  MAX_MASKED_VALUES,
  MAX_META_BYTES,
  MAX_META_KEYS,
  MAX_META_TOTAL_BYTES,
  MAX_STEPS,
} from './engine-limits.js';
import type { EngineEffect, EngineEvent, EngineState, LogLineEffect } from './engine-types.js';
import { measureMetadata } from './measure-metadata.js';

/** A burst: `count` lines of one kind, numbered from `from`, so a short description reaches the 1,000-item bounds. */
interface Burst {
  kind: 'start' | 'start_options' | 'complete' | 'error' | 'artifact' | 'meta' | 'meta_big' | 'mask' | 'text';
  count: number;
  from: number;
  continuation: boolean;
}

const burst: fc.Arbitrary<Burst> = fc.record({
  kind: fc.constantFrom<Burst['kind']>(
    'start',
    'start_options',
    'complete',
    'error',
    'artifact',
    'meta',
    'meta_big',
    'mask',
    'text',
  ),
  count: fc.integer({ min: 1, max: 600 }),
  from: fc.integer({ min: 0, max: 2_000 }),
  continuation: fc.boolean(),
});

function lineOf(kind: Burst['kind'], n: number): string {
  switch (kind) {
    case 'start':
      return `STEP_START:S${n % 7}`;
    case 'start_options':
      return `STEP_START:O${n}[${Array.from({ length: n % 130 }, (_, i) => `o${i}=${'v'.repeat((n % 60) * 10)}`).join(', ')}]`;
    case 'complete':
      return `STEP_COMPLETE:${n % 3 === 0 ? '' : `S${n % 7}`}`;
    case 'error':
      return `STEP_ERROR:failed ${n}`;
    case 'artifact':
      return `ARTIFACT:missing-${n}.txt:d`;
    case 'meta':
      return `META:k${n % 150}:${n}`;
    case 'meta_big':
      return `META:b${n % 40}:${'x'.repeat(1_000 + (n % 30) * 1_000)}`;
    case 'mask':
      return `MASK:secret-${n}-${'m'.repeat(n % 200)}`;
    case 'text':
      return `plain ${n} secret-${n}-`;
  }
}

// Lines of up to ~80 KB: fewer of them already pass the byte bounds.
const HEAVY = new Set<Burst['kind']>(['start_options', 'meta_big']);

function eventsOf(bursts: readonly Burst[]): EngineEvent[] {
  return bursts.flatMap((b) => {
    const count = HEAVY.has(b.kind) ? 1 + (b.count % 40) : b.count;
    return Array.from({ length: count }, (_, i): EngineEvent => ({
      type: 'line',
      at: 2,
      stream: 'stdout',
      content: lineOf(b.kind, b.from + i),
      continuation: b.continuation,
    }));
  });
}

/** Which bound a notice line reports: one per execution, or one per step for a step's metadata. */
function boundOf(line: LogLineEffect): string | null {
  const text = line.content;
  if (/^warning: META ignored: the metadata of step|^warning: options of step/.test(text))
    return `step ${line.step_index}`;
  return (
    [
      /^warning: step limit/,
      /^warning: ARTIFACT limit/,
      /^warning: MASK limit/,
      /^warning: META ignored: an execution keeps/,
      /^warning: META ignored: the execution's/,
    ].find((re) => re.test(text))?.source ?? null
  );
}

/** Everything about the state a continuation piece must leave alone. */
function footprint(state: EngineState): string {
  const { usage, steps, openStep, stopping, execution } = state;
  return JSON.stringify({
    steps,
    openStep,
    stopping,
    execution,
    masks: state.secrets.size,
    usage: { ...usage, noticed: [...usage.noticed] },
  });
}

function assertBounds(state: EngineState, effects: readonly EngineEffect[]): void {
  const objects = [state.execution.metadata, ...state.steps.map((step) => step.metadata)];
  const sizes = objects.map(measureMetadata);
  assert.ok(state.steps.length <= MAX_STEPS, `${state.steps.length} steps`);
  for (const size of sizes) assert.ok(size.keys <= MAX_META_KEYS && size.bytes <= MAX_META_BYTES, JSON.stringify(size));
  assert.equal(
    state.usage.metaBytes,
    sizes.reduce((sum, size) => sum + size.bytes, 0),
    'metadata bytes are accounted exactly',
  );
  assert.ok(state.usage.metaBytes <= MAX_META_TOTAL_BYTES);
  assert.deepEqual(state.usage.executionMeta, sizes[0]);
  const open = state.openStep === null ? null : state.steps[state.openStep];
  if (open) assert.deepEqual(state.usage.stepMeta, measureMetadata(open.metadata));
  assert.ok(state.secrets.size <= MAX_MASKED_VALUES && state.usage.maskedBytes <= MAX_MASKED_BYTES);
  assert.ok(effects.filter((effect) => effect.type === 'artifact').length <= MAX_ARTIFACTS);
  assert.equal(state.completedSteps, state.steps.filter((step) => step.status === 'completed').length);
  const bounds = effects
    .flatMap((effect) => (effect.type === 'log' && effect.line.stream === 'system' ? [boundOf(effect.line)] : []))
    .filter((bound) => bound !== null);
  assert.equal(new Set(bounds).size, bounds.length, `each bound is reported once: ${bounds.join(', ')}`);
}

describe('applyEngineEvent on arbitrary marker sequences (properties)', () => {
  it('keeps steps, metadata, masks and artifacts within their bounds, accounted exactly, each bound reported once', () => {
    fc.assert(
      fc.property(fc.array(burst, { maxLength: 14 }), (bursts) => {
        let state = applyEngineEvent(createEngineState({ markerMode: 'line_start' }), {
          type: 'started',
          at: 1,
          pid: 7,
        }).state;
        const effects: EngineEffect[] = [];
        for (const event of eventsOf(bursts)) {
          const transition = applyEngineEvent(state, event);
          state = transition.state;
          effects.push(...transition.effects);
        }
        assertBounds(state, effects);
        const lines = effects.flatMap((effect) => (effect.type === 'log' ? [effect.line.line] : []));
        assert.deepEqual(
          lines,
          lines.map((_, i) => i + 1),
        );
      }),
      fuzzSettings(25, 0.01),
    );
  });

  it('gives a continuation piece one log line and nothing else, whatever it starts with', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'STEP_START:x',
        'STEP_ERROR:x',
        'ARTIFACT:a:b',
        'META:k:v',
        'MASK:abcdef',
        '::add-mask::abcdef',
        'STEP_COMPLETE:',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.array(burst, { maxLength: 3 }),
        piece,
        fc.constantFrom<'line_start' | 'anywhere'>('line_start', 'anywhere'),
        (bursts, content, markerMode) => {
          let state = applyEngineEvent(createEngineState({ markerMode }), { type: 'started', at: 1, pid: 7 }).state;
          for (const event of eventsOf(bursts)) state = applyEngineEvent(state, event).state;
          const before = footprint(state);
          const lastLine = state.lastLine;
          const { state: after, effects } = applyEngineEvent(state, {
            type: 'line',
            at: 3,
            stream: 'stderr',
            content,
            continuation: true,
          });
          assert.deepEqual(
            effects.map((effect) => effect.type),
            ['log'],
          );
          assert.equal(after.lastLine, lastLine + 1);
          assert.equal(footprint(after), before);
        },
      ),
      fuzzSettings(60, 0.05),
    );
  });
});
