// Owns what a search regex requires: the literal runs every match contains, so chunk filters can skip chunks for a regex too.

/** Nesting of groups analysed before giving up (nothing is then required, so every chunk is read). */
const MAX_DEPTH = 32;
/** Shortest run worth keeping: a filter holds trigrams. */
const MIN_RUN = 3;

type Atom = { kind: 'char'; char: string } | { kind: 'group'; literals: string[] } | { kind: 'other' };

class TooDeep extends Error {}

/**
 * Lower-cased ASCII runs that every match of `source` (compiled with the `i` flag only, already known valid)
 * contains. Conservative by construction: alternations, optional or repeated parts, classes, escapes that are not
 * plain punctuation, lookarounds and non-ASCII characters only end a run, so a run is never more than the pattern
 * promises. Empty when nothing can be proven, and the search then reads every chunk. Linear in the pattern.
 */
export function requiredLiterals(source: string): string[] {
  try {
    const parser = new PatternReader(source);
    const literals = parser.alternation(0);
    if (!parser.done) return [];
    return [...new Set(literals.filter((run) => run.length >= MIN_RUN))];
  } catch (error) {
    if (error instanceof TooDeep) return [];
    throw error;
  }
}

class PatternReader {
  #at = 0;

  constructor(readonly source: string) {}

  get done(): boolean {
    return this.#at >= this.source.length;
  }

  /** Branches up to `)` or the end; an alternation requires nothing here (its branches are not all taken). */
  alternation(depth: number): string[] {
    if (depth > MAX_DEPTH) throw new TooDeep();
    const branches = [this.#sequence(depth)];
    while (this.source[this.#at] === '|') {
      this.#at++;
      branches.push(this.#sequence(depth));
    }
    return branches.length === 1 ? (branches[0] as string[]) : [];
  }

  #sequence(depth: number): string[] {
    const found: string[] = [];
    let run = '';
    const endRun = (): void => {
      if (run.length > 0) found.push(run);
      run = '';
    };
    for (let next = this.source[this.#at]; next !== undefined && next !== '|' && next !== ')';) {
      const atom = this.#atom(depth);
      const min = this.#quantifierMin();
      if (atom.kind === 'char' && min !== 0) {
        run += atom.char;
        if (min !== null) endRun();
      } else {
        endRun();
        if (atom.kind === 'group' && min !== 0) found.push(...atom.literals);
      }
      next = this.source[this.#at];
    }
    endRun();
    return found;
  }

  /** The least count a quantifier at the cursor allows (consumed with its lazy `?`), or null when there is none. */
  #quantifierMin(): number | null {
    const c = this.source[this.#at];
    let min: number | null = null;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const braces = /^\{(\d+)(?:,\d*)?\}/.exec(this.source.slice(this.#at, this.#at + 40));
      if (braces === null) return null;
      this.#at += braces[0].length - 1;
      min = Number(braces[1]);
    }
    if (min === null) return null;
    this.#at++;
    if (this.source[this.#at] === '?') this.#at++;
    return min;
  }

  #atom(depth: number): Atom {
    const c = this.source[this.#at++] as string;
    if (c === '\\') return this.#escape();
    if (c === '[') return this.#skipClass();
    if (c === '(') return this.#group(depth);
    if (c === '.' || c === '^' || c === '$') return { kind: 'other' };
    return literal(c);
  }

  #escape(): Atom {
    const c = this.source[this.#at++];
    if (c === undefined) return { kind: 'other' };
    if (/[0-9A-Za-z]/.test(c)) {
      // Classes, assertions, back-references, control and code-point escapes: skip what they take, require nothing.
      this.#at += escapeLength(c, this.source.slice(this.#at, this.#at + 64));
      return { kind: 'other' };
    }
    return literal(c);
  }

  #skipClass(): Atom {
    if (this.source[this.#at] === '^') this.#at++;
    // In JavaScript `[]` and `[^]` are complete classes: a `]` right after the opening closes it.
    for (let c = this.source[this.#at]; c !== undefined; c = this.source[this.#at]) {
      this.#at += c === '\\' ? 2 : 1;
      if (c === ']') break;
    }
    return { kind: 'other' };
  }

  #group(depth: number): Atom {
    let lookaround = false;
    if (this.source[this.#at] === '?') {
      const kind = this.source.slice(this.#at + 1, this.#at + 3);
      lookaround = kind[0] === '=' || kind[0] === '!' || kind === '<=' || kind === '<!';
      if (kind[0] === '<' && !lookaround) this.#at = this.source.indexOf('>', this.#at) + 1;
      else this.#at += lookaround && kind[0] === '<' ? 3 : 2;
    }
    const literals = this.alternation(depth + 1);
    if (this.source[this.#at] === ')') this.#at++;
    return lookaround ? { kind: 'other' } : { kind: 'group', literals };
  }
}

/** A literal character: kept (lower-cased) in a run when ASCII, since only ASCII matches ASCII case-insensitively. */
function literal(c: string): Atom {
  return c.charCodeAt(0) < 0x80 ? { kind: 'char', char: c.toLowerCase() } : { kind: 'other' };
}

/** How many characters after `\c` the escape takes (the letter itself already read). */
function escapeLength(letter: string, after: string): number {
  const pattern =
    letter === 'x'
      ? /^[0-9A-Fa-f]{2}/
      : letter === 'u'
        ? /^[0-9A-Fa-f]{4}/
        : letter === 'c'
          ? /^[A-Za-z]/
          : letter === 'k'
            ? /^<[^>]*>/
            : /^[0-9]/.test(letter)
              ? /^[0-9]*/
              : null;
  return pattern === null ? 0 : (pattern.exec(after)?.[0].length ?? 0);
}
