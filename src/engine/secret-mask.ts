// Owns secret masking in the pure core: the set of known secret values and replacing them with `***`.
import type { ExecutionProgress } from './engine-types.js';

/** Values shorter than this are never masked: masking `a` or `ok` would shred every log line. */
export const MIN_SECRET_LENGTH = 4;

/** What a masked value is replaced with. */
export const MASK_TEXT = '***';

/** An immutable set of secret values and the one pattern that finds all of them. */
export interface SecretMask {
  readonly values: readonly string[];
  /** Alternation of every value, longest first; null when there is nothing to mask (the hot path's fast exit). */
  readonly pattern: RegExp | null;
}

const EMPTY: SecretMask = Object.freeze({ values: Object.freeze([]), pattern: null });

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a mask from secret values; values shorter than MIN_SECRET_LENGTH and duplicates are dropped. */
export function createSecretMask(values: Iterable<string> = []): SecretMask {
  const kept = [...new Set([...values].filter((value) => value.length >= MIN_SECRET_LENGTH))];
  if (kept.length === 0) return EMPTY;
  // Longest first, so a secret that contains another is replaced whole rather than leaving its tail.
  kept.sort((a, b) => b.length - a.length);
  return Object.freeze({ values: Object.freeze(kept), pattern: new RegExp(kept.map(escapeRegExp).join('|'), 'g') });
}

/** Returns a mask that also hides `value` (the same mask when it is too short or already known). */
export function addSecret(mask: SecretMask, value: string): SecretMask {
  if (value.length < MIN_SECRET_LENGTH || mask.values.includes(value)) return mask;
  return createSecretMask([...mask.values, value]);
}

/** Replaces every known secret in `text` with `***`. */
export function maskText(mask: SecretMask, text: string): string {
  if (mask.pattern === null || text.length < MIN_SECRET_LENGTH) return text;
  return text.replace(mask.pattern, MASK_TEXT);
}

/** Masks every string inside a JSON-like value (metadata), keys included; returns a fresh copy. */
export function maskValue(mask: SecretMask, value: unknown): unknown {
  if (typeof value === 'string') return maskText(mask, value);
  if (Array.isArray(value)) return value.map((item) => maskValue(mask, item));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[maskText(mask, key)] = maskValue(mask, item);
    return out;
  }
  return value;
}

/** A copy of the execution progress with its error message and metadata masked. */
export function maskExecution(mask: SecretMask, execution: ExecutionProgress): ExecutionProgress {
  if (mask.pattern === null) return { ...execution, metadata: structuredClone(execution.metadata) };
  return {
    ...execution,
    error_message: execution.error_message === null ? null : maskText(mask, execution.error_message),
    metadata: maskValue(mask, execution.metadata) as Record<string, unknown>,
  };
}
