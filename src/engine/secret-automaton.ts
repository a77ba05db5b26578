// Owns one multi-value matcher for masking: an Aho–Corasick automaton over reversed secret values.

/**
 * Where values start in a text, as two parallel arrays in descending order of position: the
 * longest value starting at `starts[i]` is `lengths[i]` characters long.
 */
export interface ValueMatches {
  starts: number[];
  lengths: number[];
}

/**
 * An immutable Aho–Corasick automaton over a set of values, built over the values reversed and run
 * from the end of a text to its start. The state after reading `text[i]` then names the longest value
 * that *starts* at `i`, so one pass costs O(text length) however many values there are, and masking
 * can keep the "leftmost, then longest" rule of the regular expression it replaced.
 */
export class SecretAutomaton {
  /** The values, as given. */
  readonly values: readonly string[];
  readonly #children: Array<Map<number, number> | undefined> = [undefined];
  /** Per node: the length of the longest value that is a suffix of the node's (reversed) string, or 0. */
  readonly #longest: Int32Array;
  readonly #fail: Int32Array;
  /** Code units some value ends with: most characters of ordinary output leave the root at once. */
  readonly #rootHas = new Uint8Array(65_536);

  constructor(values: readonly string[]) {
    this.values = values;
    const ends = this.#buildTrie(values);
    this.#fail = new Int32Array(ends.length);
    this.#longest = new Int32Array(ends.length);
    this.#linkFailures(ends);
  }

  /** Appends the longest value starting at each position of `text` that has one, last position first. */
  collect(text: string, into: ValueMatches): void {
    const children = this.#children;
    let state = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      const code = text.charCodeAt(i);
      if (state === 0 && this.#rootHas[code] === 0) continue;
      let next = children[state]?.get(code);
      while (next === undefined && state !== 0) {
        state = this.#fail[state] as number;
        next = children[state]?.get(code);
      }
      state = next ?? 0;
      const length = this.#longest[state] as number;
      if (length > 0) {
        into.starts.push(i);
        into.lengths.push(length);
      }
    }
  }

  /** Adds every value, last character first; returns per node the length of the value ending there (or 0). */
  #buildTrie(values: readonly string[]): number[] {
    const ends = [0];
    for (const value of values) {
      let node = 0;
      for (let i = value.length - 1; i >= 0; i--) {
        const code = value.charCodeAt(i);
        const map = (this.#children[node] ??= new Map());
        let next = map.get(code);
        if (next === undefined) {
          next = this.#children.length;
          this.#children.push(undefined);
          ends.push(0);
          map.set(code, next);
        }
        node = next;
      }
      ends[node] = value.length;
    }
    for (const code of this.#children[0]?.keys() ?? []) this.#rootHas[code] = 1;
    return ends;
  }

  /** Breadth-first failure links, each node's longest value suffix folded in so a scan needs one lookup. */
  #linkFailures(ends: readonly number[]): void {
    const queue = new Int32Array(ends.length);
    let tail = 0;
    for (const child of this.#children[0]?.values() ?? []) {
      this.#longest[child] = ends[child] as number;
      queue[tail++] = child;
    }
    for (let head = 0; head < tail; head++) {
      const node = queue[head] as number;
      for (const [code, child] of this.#children[node] ?? []) {
        let fallback = this.#fail[node] as number;
        while (fallback !== 0 && !this.#children[fallback]?.has(code)) fallback = this.#fail[fallback] as number;
        const target = this.#children[fallback]?.get(code);
        const fail = target ?? 0;
        this.#fail[child] = fail;
        this.#longest[child] = (ends[child] as number) > 0 ? (ends[child] as number) : (this.#longest[fail] as number);
        queue[tail++] = child;
      }
    }
  }
}
