// Owns the agent's on-disk spool: numbered batches kept until the server acknowledges them, bounded in bytes.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Batches of every execution an agent runs, one file each, written before they are sent and removed once acknowledged. */
export class BatchSpool {
  private bytes = 0;
  private paused = false;
  private readonly sizes = new Map<string, number>();
  private readonly listeners = new Set<(full: boolean) => void>();

  constructor(
    private readonly dir: string,
    /** Above this many bytes the spool is full: the agent stops reading scripts' output until batches are acknowledged. */
    private readonly limitBytes: number,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
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

  /** Writes batch `seq` of the execution; it is durable before it is ever sent. */
  put(executionId: string, seq: number, body: string): void {
    mkdirSync(join(this.dir, executionId), { recursive: true });
    const path = this.path(executionId, seq);
    writeFileSync(path, body);
    const size = Buffer.byteLength(body);
    this.sizes.set(path, size);
    this.bytes += size;
    if (!this.paused && this.bytes > this.limitBytes) this.tell(true);
  }

  /** Reads batch `seq` of the execution back. */
  get(executionId: string, seq: number): string {
    return readFileSync(this.path(executionId, seq), 'utf8');
  }

  /** Forgets an acknowledged batch. */
  drop(executionId: string, seq: number): void {
    const path = this.path(executionId, seq);
    const size = this.sizes.get(path) ?? statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    rmSync(path, { force: true });
    this.sizes.delete(path);
    this.release(size);
  }

  /** Forgets every batch of the execution (the server no longer holds it). */
  dropAll(executionId: string): void {
    const folder = join(this.dir, executionId);
    let size = 0;
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
