// Owns MASK markers: registering a secret value, within the bounds of engine-limits.ts.
import { MAX_MASKED_BYTES, MAX_MASKED_VALUES } from './engine-limits.js';
import type { EngineState, MarkerOutcome } from './engine-types.js';
import { MIN_SECRET_LENGTH } from './secret-mask.js';
import type { TransitionDraft } from './transition-draft.js';

const BOUND = `${MAX_MASKED_VALUES.toLocaleString('en-US')} values of ${MAX_MASKED_BYTES.toLocaleString('en-US')} bytes in all`;

/** Adds the value to the mask set before the marker line is logged, so the line itself is masked too. */
export function applyMask(draft: TransitionDraft, value: string): MarkerOutcome {
  const stepIndex = draft.state.openStep;
  if (value.length < MIN_SECRET_LENGTH) {
    return { stepIndex, warning: `MASK value shorter than ${MIN_SECRET_LENGTH} characters is not masked` };
  }
  const { secrets, usage } = draft.state;
  if (secrets.has(value)) return { stepIndex, warning: null };
  const bytes = Buffer.byteLength(value, 'utf8');
  if (usage.maskedValues >= MAX_MASKED_VALUES || usage.maskedBytes + bytes > MAX_MASKED_BYTES) {
    // Not registered, so later lines show it; its own line still hides it.
    const warning = `MASK limit reached: an execution masks at most ${BOUND} registered by MASK; this value and later ones past the limit are not masked in later lines`;
    return { stepIndex, warning: draft.noticeOnce('masks', warning), hidden: value };
  }
  usage.maskedValues++;
  usage.maskedBytes += bytes;
  secrets.add(value);
  return { stepIndex, warning: null };
}

/**
 * Registers a MASK value ahead of its line, within the same bounds; silent, since its own line,
 * applied next, says whatever there is to say. Masking a little early is the safe side of not
 * knowing the order of lines read together from two streams.
 */
export function registerMaskAhead(state: EngineState, value: string): void {
  const { secrets, usage } = state;
  if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (usage.maskedValues >= MAX_MASKED_VALUES || usage.maskedBytes + bytes > MAX_MASKED_BYTES) return;
  usage.maskedValues++;
  usage.maskedBytes += bytes;
  secrets.add(value);
}
