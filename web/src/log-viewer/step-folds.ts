// Owns the full log's structure: which step header rows are folded, which closing-marker lines are hidden, and the
// mapping between visible rows and stored lines (binary search over a few merged ranges, so a million-line log stays O(1) per row).

/** What a step's header row shows in place of its marker line (the stored line and the raw download keep the marker). */
export interface StepHeader {
  id: string;
  name: string;
  status: string;
  depth: number;
  /** Formatted duration, or '' while unknown. */
  duration: string;
  /** Line numbers of the step's opening marker, its last line, and the marker that closed it (or null). */
  first: number;
  last: number;
  close: number | null;
  /** Whether the dialect asked for it folded at first (GitHub groups, GitLab `[collapsed=true]`, Buildkite `---`). */
  collapsed: boolean;
}

/** A step folds at first when its dialect asked so and it ended well: a failure stays open, as GitHub shows it. */
function foldsAtFirst(header: StepHeader): boolean {
  return header.collapsed && (header.status === 'completed' || header.status === 'skipped');
}

/**
 * Folds over a log whose row index is its line number − 1 (the full, unfiltered log). Hidden: every step's closing
 * marker line, and the lines after a folded step's header up to its last line.
 */
export class StepFolds {
  private byLine = new Map<number, StepHeader>();
  private readonly folded = new Set<string>();
  /** Steps the user folded or unfolded: their default no longer applies. */
  private readonly chosen = new Set<string>();
  private starts: number[] = [];
  private ends: number[] = [];
  /** Rows hidden by the ranges before range k. */
  private before: number[] = [];

  constructor(private readonly foldable: boolean) {}

  /** Takes the execution's steps (again, as they change); folds those that fold at first unless the user chose. */
  setHeaders(headers: readonly StepHeader[]): void {
    this.byLine = new Map(headers.map((header) => [header.first, header]));
    for (const header of headers) {
      if (this.chosen.has(header.id)) continue;
      if (foldsAtFirst(header)) this.folded.add(header.id);
      else this.folded.delete(header.id);
    }
    this.rebuild();
  }

  /** The header drawn in place of line `line`, if a step opened there. */
  header(line: number): StepHeader | undefined {
    return this.byLine.get(line);
  }

  isFolded(id: string): boolean {
    return this.folded.has(id);
  }

  /** Folds or unfolds a step (the header row's button). */
  toggle(id: string): void {
    this.chosen.add(id);
    if (!this.folded.delete(id)) this.folded.add(id);
    this.rebuild();
  }

  /** Unfolds every step whose fold hides row `index` (a search hit, a permalink); true when something changed. */
  reveal(index: number): boolean {
    const line = index + 1;
    let changed = false;
    for (const header of this.byLine.values()) {
      if (!this.folded.has(header.id) || line <= header.first || line > header.last) continue;
      this.folded.delete(header.id);
      this.chosen.add(header.id);
      changed = true;
    }
    if (changed) this.rebuild();
    return changed;
  }

  /** How many rows show when the log has `total` lines. */
  visibleCount(total: number): number {
    let hidden = 0;
    for (let k = 0; k < this.starts.length && (this.starts[k] as number) < total; k++)
      hidden += Math.min(this.ends[k] as number, total - 1) - (this.starts[k] as number) + 1;
    return total - hidden;
  }

  /** The stored index drawn at visible row `row`. */
  toStore(row: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    // The last range whose first following row is at or before `row`.
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.starts[mid] as number) - (this.before[mid] as number) <= row) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found < 0 ? row : row + (this.before[found] as number) + this.length(found);
  }

  /** The visible row of stored index `index`; a hidden line answers the row just before its range. */
  toVisible(index: number): number {
    const k = this.rangeAtOrBefore(index);
    if (k < 0) return index;
    const start = this.starts[k] as number;
    const hiddenBefore = this.before[k] as number;
    if (index <= (this.ends[k] as number)) return Math.max(0, start - hiddenBefore - 1);
    return index - hiddenBefore - this.length(k);
  }

  private length(k: number): number {
    return (this.ends[k] as number) - (this.starts[k] as number) + 1;
  }

  private rangeAtOrBefore(index: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.starts[mid] as number) <= index) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  /** Merges the hidden ranges (row indices, inclusive) into sorted, disjoint, non-adjacent ones. */
  private rebuild(): void {
    const ranges: [number, number][] = [];
    if (this.foldable) {
      for (const header of this.byLine.values()) {
        if (header.close !== null) ranges.push([header.close - 1, header.close - 1]);
        if (this.folded.has(header.id) && header.last > header.first) ranges.push([header.first, header.last - 1]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    this.starts = [];
    this.ends = [];
    this.before = [];
    let hidden = 0;
    for (const [start, end] of ranges) {
      const last = this.ends.length - 1;
      if (last >= 0 && start <= (this.ends[last] as number) + 1) {
        const grown = Math.max(this.ends[last] as number, end);
        hidden += grown - (this.ends[last] as number);
        this.ends[last] = grown;
        continue;
      }
      this.starts.push(start);
      this.ends.push(end);
      this.before.push(hidden);
      hidden += end - start + 1;
    }
  }
}
