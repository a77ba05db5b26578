// Owns the lines a viewer holds: fixed-size chunks fetched lazily by range, a bounded LRU so a 1M-line log never sits in memory, and live appends.
import type { WireLogLine } from '../../../src/core/wire-types';

/** Lines per chunk, the page size asked of GET /logs: small enough that one page answers in tens of ms. */
export const CHUNK = 2000;
/** Chunks kept at most (about 120k lines), so memory stays flat however far the user scrolls. */
const MAX_CHUNKS = 60;
const MAX_PARALLEL = 2;

/** Reads `limit` lines starting at `offset` of this viewer's selection, plus the selection's current size. */
export type PageReader = (offset: number, limit: number) => Promise<{ lines: WireLogLine[]; total: number }>;

/** Chunked, lazily loaded storage of one log selection. */
export class LineStore {
  total = 0;
  /** Line number of the newest line known, so live lines already stored are not added twice. */
  lastLine = 0;
  private readonly chunks = new Map<number, WireLogLine[]>();
  private readonly loading = new Set<number>();
  private readonly queue: number[] = [];
  private active = 0;

  constructor(
    private readonly read: PageReader,
    private readonly onChange: () => void,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Loads the first chunk and learns the total; a live log also loads its last chunk, whose last line is the resume point. */
  async open(live: boolean, firstPage?: Promise<{ lines: WireLogLine[]; total: number }>): Promise<void> {
    const first = await (firstPage ?? this.read(0, CHUNK));
    this.total = first.total;
    this.store(0, first.lines);
    const lastChunk = Math.floor(Math.max(0, this.total - 1) / CHUNK);
    if (live && lastChunk > 0) {
      const last = await this.read(lastChunk * CHUNK, CHUNK);
      this.total = Math.max(this.total, last.total);
      this.store(lastChunk, last.lines);
    }
    this.onChange();
  }

  /** The line at `index`, or undefined while its chunk is not loaded (which asks for it). */
  get(index: number): WireLogLine | undefined {
    const chunkIndex = Math.floor(index / CHUNK);
    const chunk = this.chunks.get(chunkIndex);
    const line = chunk?.[index - chunkIndex * CHUNK];
    if (line) return line;
    this.request(chunkIndex);
    return undefined;
  }

  /** Asks for a chunk; the most recent requests go first, since they are what is on screen now. */
  request(chunkIndex: number): void {
    if (this.loading.has(chunkIndex) || chunkIndex < 0 || chunkIndex * CHUNK >= this.total) return;
    const chunk = this.chunks.get(chunkIndex);
    if (chunk && chunk.length >= Math.min(CHUNK, this.total - chunkIndex * CHUNK)) return;
    this.loading.add(chunkIndex);
    this.queue.unshift(chunkIndex);
    this.pump();
  }

  private pump(): void {
    while (this.active < MAX_PARALLEL && this.queue.length > 0) {
      const chunkIndex = this.queue.shift() as number;
      this.active += 1;
      this.read(chunkIndex * CHUNK, CHUNK)
        .then((page) => {
          this.store(chunkIndex, page.lines);
          this.total = Math.max(this.total, page.total);
          this.onChange();
        })
        .catch((error: Error) => this.onError(error))
        .finally(() => {
          this.loading.delete(chunkIndex);
          this.active -= 1;
          this.pump();
        });
    }
  }

  private store(chunkIndex: number, lines: WireLogLine[]): void {
    // A live tail may already hold more lines than an older page read; keep the longer one.
    if ((this.chunks.get(chunkIndex)?.length ?? -1) > lines.length) return;
    this.chunks.delete(chunkIndex);
    this.chunks.set(chunkIndex, lines);
    const last = lines[lines.length - 1];
    if (last && last.line > this.lastLine && (chunkIndex + 1) * CHUNK >= this.total) this.lastLine = last.line;
    this.evict(chunkIndex);
  }

  /** Drops the least recently stored chunks beyond the cap (Map keeps insertion order). */
  private evict(keep: number): void {
    for (const key of this.chunks.keys()) {
      if (this.chunks.size <= MAX_CHUNKS) return;
      if (key !== keep) this.chunks.delete(key);
    }
  }

  /** Marks a chunk as recently used, so scrolling back and forth does not evict what is on screen. */
  touch(chunkIndex: number): void {
    const chunk = this.chunks.get(chunkIndex);
    if (!chunk) return;
    this.chunks.delete(chunkIndex);
    this.chunks.set(chunkIndex, chunk);
  }

  /** Appends live lines (already filtered to this selection); lines at or below lastLine are skipped. */
  append(lines: readonly WireLogLine[]): void {
    for (const line of lines) {
      if (line.line <= this.lastLine) continue;
      const index = this.total;
      const chunkIndex = Math.floor(index / CHUNK);
      const chunk = this.chunks.get(chunkIndex);
      if (chunk && chunk.length === index - chunkIndex * CHUNK) chunk.push(line);
      else if (!chunk && index % CHUNK === 0) this.chunks.set(chunkIndex, [line]);
      // Otherwise the tail chunk was evicted; it is fetched again from the server when scrolled to.
      this.total += 1;
      this.lastLine = line.line;
    }
    this.onChange();
  }

  /** Forgets every chunk (after the data changed on the server). */
  clear(): void {
    this.chunks.clear();
  }
}
