// Owns secret masking in the pure core: the set of known secret values and replacing them with `***`.
import type { ExecutionProgress } from './engine-types.js';
import { SecretAutomaton, type ValueMatches } from './secret-automaton.js';

/** Values shorter than this are never masked: masking `a` or `ok` would shred every log line. */
export const MIN_SECRET_LENGTH = 4;

/** What a masked value is replaced with. */
export const MASK_TEXT = '***';

/**
 * The secret values of one execution and the automata that find them. It grows as MASK markers
 * arrive, so it belongs to one engine state and is updated in place.
 *
 * Values are kept in a few automata whose sizes follow a binary counter (the logarithmic method):
 * adding a value builds a one-value automaton and merges equal-sized neighbours, so each value is
 * rebuilt O(log n) times and a text is scanned by O(log n) automata. Once the extra scanning has cost
 * as much as one rebuild of everything, everything is merged into a single automaton again.
 */
export class SecretMask {
  readonly #known = new Set<string>();
  #levels: SecretAutomaton[] = [];
  #characters = 0;
  #extraScan = 0;

  /** Number of values masked. */
  get size(): number {
    return this.#known.size;
  }

  /** Number of automata a text is scanned by (O(log size)); exposed so tests can check the bound. */
  get automata(): number {
    return this.#levels.length;
  }

  /** True when `value` is already masked. */
  has(value: string): boolean {
    return this.#known.has(value);
  }

  /** Masks `value` from now on; false when it is too short or already known. */
  add(value: string): boolean {
    if (value.length < MIN_SECRET_LENGTH || this.#known.has(value)) return false;
    this.#known.add(value);
    this.#characters += value.length;
    this.#levels.push(new SecretAutomaton([value]));
    for (let n = this.#levels.length; n >= 2 && this.#count(n - 2) <= this.#count(n - 1); n--) {
      const last = this.#levels.pop() as SecretAutomaton;
      const before = this.#levels.pop() as SecretAutomaton;
      this.#levels.push(new SecretAutomaton([...before.values, ...last.values]));
    }
    return true;
  }

  /** Replaces every known value in `text` with `***`: at each position the longest value found there, left to right. */
  mask(text: string): string {
    if (this.#levels.length === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const found = this.#levels.map((automaton) => {
      const matches: ValueMatches = { starts: [], lengths: [] };
      automaton.collect(text, matches);
      return matches;
    });
    this.#noteScan(text.length);
    return found.some((matches) => matches.starts.length > 0) ? replaceLeftmostLongest(text, found) : text;
  }

  #count(level: number): number {
    return this.#levels[level]?.values.length ?? 0;
  }

  /** Merges every automaton into one when scanning the extra ones has cost more than that rebuild would. */
  #noteScan(length: number): void {
    if (this.#levels.length < 2) return;
    this.#extraScan += length * (this.#levels.length - 1);
    if (this.#extraScan < this.#characters) return;
    this.#levels = [new SecretAutomaton(this.#levels.flatMap((automaton) => automaton.values))];
    this.#extraScan = 0;
  }
}

/** Walks the matches of every automaton from the left, taking the longest at each position and skipping what it covers. */
function replaceLeftmostLongest(text: string, found: readonly ValueMatches[]): string {
  // Each list is in descending order of position, so each is read from its end.
  const next = found.map((matches) => matches.starts.length - 1);
  let out = '';
  let cursor = 0;
  for (;;) {
    let start = Number.POSITIVE_INFINITY;
    let length = 0;
    found.forEach((matches, k) => {
      let i = next[k] as number;
      while (i >= 0 && (matches.starts[i] as number) < cursor) i--;
      next[k] = i;
      if (i < 0) return;
      const at = matches.starts[i] as number;
      const size = matches.lengths[i] as number;
      if (at < start || (at === start && size > length)) [start, length] = [at, size];
    });
    if (length === 0) return out + text.slice(cursor);
    out += text.slice(cursor, start) + MASK_TEXT;
    cursor = start + length;
  }
}

/** Builds a mask from secret values; values shorter than MIN_SECRET_LENGTH and duplicates are dropped. */
export function createSecretMask(values: Iterable<string> = []): SecretMask {
  const mask = new SecretMask();
  for (const value of values) mask.add(value);
  return mask;
}

/** Replaces every known secret in `text` with `***`. */
export function maskText(mask: SecretMask, text: string): string {
  return mask.mask(text);
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
  if (mask.size === 0) return { ...execution, metadata: structuredClone(execution.metadata) };
  return {
    ...execution,
    error_message: execution.error_message === null ? null : maskText(mask, execution.error_message),
    metadata: maskValue(mask, execution.metadata) as Record<string, unknown>,
  };
}
