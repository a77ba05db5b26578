// Owns metadata from markers: META lines and STEP_START options, set one key at a time within the bounds of engine-limits.ts.
import { MAX_META_BYTES, MAX_META_KEYS, MAX_META_TOTAL_BYTES } from './engine-limits.js';
import type { MarkerOutcome, MetadataSize } from './engine-types.js';
import { measureMetadataEntry } from './measure-metadata.js';
import type { TransitionDraft } from './transition-draft.js';

const OBJECT_BOUND = `${MAX_META_KEYS} keys and ${MAX_META_BYTES.toLocaleString('en-US')} bytes`;
const TOTAL_BOUND = `${MAX_META_TOTAL_BYTES.toLocaleString('en-US')} bytes of metadata, its own and its steps' together`;

/** How setting one key would change its metadata object. */
interface Growth {
  newKey: boolean;
  /** Bytes added; negative when the new value is shorter than the old. */
  bytes: number;
}

/**
 * Applies `META:key:value` to the open step, or to the execution when no step is open. Only the key
 * is measured and emitted, so a META line costs the same however large its target already is.
 */
export function applyMeta(draft: TransitionDraft, key: string, value: unknown): MarkerOutcome {
  const step = draft.openStep();
  const { usage, execution } = draft.state;
  const stepIndex = step?.index ?? null;
  const target = step === null ? execution.metadata : step.metadata;
  const size = step === null ? usage.executionMeta : usage.stepMeta;
  const growth = measureGrowth(target, key, value);
  const exceeded = exceededBound(growth, size, usage.metaBytes);
  if (exceeded === 'total')
    return {
      stepIndex,
      warning: draft.noticeOnce(
        'meta:total',
        `META ignored: an execution keeps at most ${TOTAL_BOUND}; later META lines that would add to it are ignored too`,
      ),
    };
  if (exceeded === 'object') {
    const owner = step === null ? "the execution's metadata" : `the metadata of step "${step.name}"`;
    const bound = step === null ? 'meta:execution' : `meta:step:${step.index}`;
    return {
      stepIndex,
      warning: draft.noticeOnce(
        bound,
        `META ignored: ${owner} holds at most ${OBJECT_BOUND}; later META lines that would grow it are ignored too`,
      ),
    };
  }
  setEntry(target, key, value);
  size.keys += growth.newKey ? 1 : 0;
  size.bytes += growth.bytes;
  usage.metaBytes += growth.bytes;
  draft.emitMetadata(stepIndex, key, value);
  if (step === null && key === 'total_steps') {
    // A declared total_steps changes the progress denominator at once.
    const before = execution.total_steps;
    draft.recountSteps();
    if (execution.total_steps !== before) draft.emitExecution();
  }
  return { stepIndex, warning: null };
}

/**
 * Builds a new step's metadata from its STEP_START options, in order, keeping those that fit the
 * bounds; the size becomes the open step's. The warning (once per step) says some were left out.
 */
export function startStepMetadata(
  draft: TransitionDraft,
  index: number,
  name: string,
  options: Record<string, unknown>,
): { metadata: Record<string, unknown>; warning: string | null } {
  const usage = draft.state.usage;
  const metadata: Record<string, unknown> = {};
  const size: MetadataSize = { keys: 0, bytes: 0 };
  let dropped = false;
  for (const [key, value] of Object.entries(options)) {
    const growth: Growth = { newKey: true, bytes: measureMetadataEntry(key, value) };
    if (exceededBound(growth, size, usage.metaBytes + size.bytes) !== null) {
      dropped = true;
      continue;
    }
    setEntry(metadata, key, value);
    size.keys++;
    size.bytes += growth.bytes;
  }
  usage.stepMeta = size;
  usage.metaBytes += size.bytes;
  const warning = dropped
    ? draft.noticeOnce(
        `meta:step:${index}`,
        `options of step "${name}" left out of its metadata: a step's metadata holds at most ${OBJECT_BOUND}, and an execution at most ${TOTAL_BOUND}`,
      )
    : null;
  return { metadata, warning };
}

function measureGrowth(target: Record<string, unknown>, key: string, value: unknown): Growth {
  const existing = Object.hasOwn(target, key);
  const before = existing ? measureMetadataEntry(key, target[key]) : 0;
  return { newKey: !existing, bytes: measureMetadataEntry(key, value) - before };
}

/** Which bound a change would pass; a change that adds no key and no bytes always fits. */
function exceededBound(growth: Growth, size: MetadataSize, totalBytes: number): 'object' | 'total' | null {
  if (growth.newKey && size.keys >= MAX_META_KEYS) return 'object';
  if (growth.bytes > 0 && size.bytes + growth.bytes > MAX_META_BYTES) return 'object';
  if (growth.bytes > 0 && totalBytes + growth.bytes > MAX_META_TOTAL_BYTES) return 'total';
  return null;
}

/** Sets an own property even for keys such as `__proto__`, which plain assignment would treat as the prototype. */
function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
