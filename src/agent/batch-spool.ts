// Owns the agent's spool: numbered batches kept until the server acknowledges them, bounded in bytes, the newest on disk.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes of batches held in memory at most (also at most a quarter of the limit); the rest go to files. */
const MEMORY_BYTES = 8 * 1024 * 1024;

/**
 * Batches of every execution an agent runs, kept until acknowledged. While the server keeps up they stay in memory
 * (a batch is acknowledged within milliseconds: writing, reading and deleting a file for each would cost the agent
 * more than sending it); once the unacknowledged batches pass MEMORY_BYTES, the next ones are written to files
 * under `dir`, so a server away for long costs disk, not memory.
 */
export class BatchSpool {
  private bytes = 0;
  private memoryBytes = 0;
  private paused = false;
  private readonly sizes = new Map<string, number>();
  private readonly held = new Map<string, Buffer>();
  private readonly memoryLimit: number;
  private readonly listeners = new Set<(full: boolean) => void>();

  constructor(
    private readonly dir: string,
    /** Above this many bytes the spool is full: the agent stops reading scripts' output until batches are acknowledged. */
    private readonly limitBytes: number,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    this.memoryLimit = Math.min(MEMORY_BYTES, Math.floor(limitBytes / 4));
  }

  /** True from the moment the spool passes its limit until it drains to half of it. */
  get full(): boolean {
    return this.paused;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  /** Bytes that may still be written before the spool is full (0 once it is). */
  get room(): number {
    return Math.max(0, this.limitBytes - this.bytes);
  }

  /** Calls `listener(full)` whenever the spool fills up or drains below half its limit. */
  onChange(listener: (full: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bytes held in memory now (the rest of `usedBytes` is on disk). */
  get memoryUsedBytes(): number {
    return this.memoryBytes;
  }

  /** Keeps batch `seq` of the execution: in memory while there is room there, else in its file. */
  put(executionId: string, seq: number, body: Buffer): void {
    const path = this.path(executionId, seq);
    const size = body.length;
    if (this.memoryBytes + size <= this.memoryLimit) {
      this.held.set(path, body);
      this.memoryBytes += size;
    } else {
      mkdirSync(join(this.dir, executionId), { recursive: true });
      writeFileSync(path, body);
    }
    this.sizes.set(path, size);
    this.bytes += size;
    if (!this.paused && this.bytes > this.limitBytes) this.tell(true);
  }

  /** Reads batch `seq` of the execution back. */
  get(executionId: string, seq: number): Buffer {
    const path = this.path(executionId, seq);
    return this.held.get(path) ?? readFileSync(path);
  }

  /** Forgets an acknowledged batch. */
  drop(executionId: string, seq: number): void {
    const path = this.path(executionId, seq);
    const size = this.sizes.get(path) ?? statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    if (this.held.delete(path)) this.memoryBytes -= size;
    else rmSync(path, { force: true });
    this.sizes.delete(path);
    this.release(size);
  }

  /** Forgets every batch of the execution (the server no longer holds it). */
  dropAll(executionId: string): void {
    const folder = join(this.dir, executionId);
    let size = 0;
    for (const path of [...this.held.keys()].filter((key) => key.startsWith(`${folder}/`))) {
      const held = this.sizes.get(path) ?? 0;
      this.held.delete(path);
      this.memoryBytes -= held;
      size += held;
      this.sizes.delete(path);
    }
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      const path = join(folder, name);
      size += this.sizes.get(path) ?? 0;
      this.sizes.delete(path);
    }
    rmSync(folder, { recursive: true, force: true });
    this.release(size);
  }

  private release(size: number): void {
    this.bytes -= size;
    if (this.paused && this.bytes <= this.limitBytes / 2) this.tell(false);
  }

  private tell(full: boolean): void {
    this.paused = full;
    for (const listener of this.listeners) listener(full);
  }

  private path(executionId: string, seq: number): string {
    return join(this.dir, executionId, `${String(seq).padStart(12, '0')}.json`);
  }
}
