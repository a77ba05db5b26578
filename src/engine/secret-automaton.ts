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
 *
 * Nodes are array slots. Most have one child, kept inline; a Map is made only where the trie
 * branches, since building automata is the cost of every MASK line.
 */
export class SecretAutomaton {
  /** The values, as given. */
  readonly values: readonly string[];
  /** Per node: the code unit of its first child, or -1. */
  readonly #firstCode: Int32Array;
  readonly #firstChild: Int32Array;
  /** Per node: its other children by code unit, when it has more than one. */
  readonly #more: Array<Map<number, number> | undefined> = [];
  /** Per node: the length of the longest value that is a suffix of the node's (reversed) string, or 0. */
  readonly #longest: Int32Array;
  readonly #fail: Int32Array;
  /** Low bytes of the code units some value ends with: most characters of ordinary output leave the root at once. */
  readonly #rootHas = new Uint8Array(256);
  #nodes = 1;

  constructor(values: readonly string[]) {
    this.values = values;
    const capacity = values.reduce((sum, value) => sum + value.length, 1);
    this.#firstCode = new Int32Array(capacity).fill(-1);
    this.#firstChild = new Int32Array(capacity);
    this.#fail = new Int32Array(capacity);
    this.#longest = new Int32Array(capacity);
    const ends = this.#buildTrie(values, capacity);
    this.#linkFailures(ends);
  }

  /** Appends the longest value starting at each position of `text` that has one, last position first. */
  collect(text: string, into: ValueMatches): void {
    let state = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      const code = text.charCodeAt(i);
      if (state === 0 && this.#rootHas[code & 0xff] === 0) continue;
      let next = this.#child(state, code);
      while (next < 0 && state !== 0) {
        state = this.#fail[state] as number;
        next = this.#child(state, code);
      }
      state = next < 0 ? 0 : next;
      const length = this.#longest[state] as number;
      if (length > 0) {
        into.starts.push(i);
        into.lengths.push(length);
      }
    }
  }

  #child(node: number, code: number): number {
    if (this.#firstCode[node] === code) return this.#firstChild[node] as number;
    return this.#more[node]?.get(code) ?? -1;
  }

  #children(node: number): Array<[number, number]> {
    const code = this.#firstCode[node] as number;
    if (code < 0) return [];
    const first: [number, number] = [code, this.#firstChild[node] as number];
    const more = this.#more[node];
    return more === undefined ? [first] : [first, ...more];
  }

  /** Adds every value, last character first; returns per node the length of the value ending there (or 0). */
  #buildTrie(values: readonly string[], capacity: number): Int32Array {
    const ends = new Int32Array(capacity);
    for (const value of values) {
      let node = 0;
      for (let i = value.length - 1; i >= 0; i--) {
        const code = value.charCodeAt(i);
        let next = this.#child(node, code);
        if (next < 0) {
          next = this.#nodes++;
          if (this.#firstCode[node] === -1) {
            this.#firstCode[node] = code;
            this.#firstChild[node] = next;
          } else {
            (this.#more[node] ??= new Map()).set(code, next);
          }
          if (node === 0) this.#rootHas[code & 0xff] = 1;
        }
        node = next;
      }
      ends[node] = value.length;
    }
    return ends;
  }

  /** Breadth-first failure links, each node's longest value suffix folded in so a scan needs one lookup. */
  #linkFailures(ends: Int32Array): void {
    const queue = new Int32Array(this.#nodes);
    let tail = 0;
    for (const [, child] of this.#children(0)) {
      this.#longest[child] = ends[child] as number;
      queue[tail++] = child;
    }
    for (let head = 0; head < tail; head++) {
      const node = queue[head] as number;
      for (const [code, child] of this.#children(node)) {
        let fallback = this.#fail[node] as number;
        while (fallback !== 0 && this.#child(fallback, code) < 0) fallback = this.#fail[fallback] as number;
        const target = this.#child(fallback, code);
        const fail = target < 0 ? 0 : target;
        this.#fail[child] = fail;
        this.#longest[child] = (ends[child] as number) > 0 ? (ends[child] as number) : (this.#longest[fail] as number);
        queue[tail++] = child;
      }
    }
  }
}
