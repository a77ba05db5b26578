// Owns making the named pipes (FIFOs) scripts write their output to, ahead of need and in batches.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BATCH = 32;

/**
 * Hands out fresh FIFO paths in `dir`. Node cannot call pipe(2) or mkfifo(3), so the helper runs
 * `mkfifo` once per batch of 32 (about one fork per 16 scripts), refilling before it runs dry.
 * Mode 0622: a script running as another user (STEPFLOW_RUN_AS) can reopen its own output
 * (`echo x > /dev/stdout` reopens the FIFO); nobody else can reach it, since `dir` is 0700 and
 * each FIFO is unlinked as soon as both of its ends are open.
 */
export class FifoPool {
  private readonly ready: string[] = [];
  private refill: Promise<void> | null = null;
  private made = 0;

  constructor(private readonly dir: string) {}

  /** A FIFO nobody has opened yet; rejects when `mkfifo` fails. */
  async take(): Promise<string> {
    for (;;) {
      if (this.ready.length <= BATCH / 2) void this.startRefill().catch(() => {});
      const path = this.ready.shift();
      if (path !== undefined) return path;
      await this.startRefill();
    }
  }

  private startRefill(): Promise<void> {
    this.refill ??= this.makeBatch().finally(() => {
      this.refill = null;
    });
    return this.refill;
  }

  private makeBatch(): Promise<void> {
    const paths = Array.from({ length: BATCH }, () => join(this.dir, `out-${++this.made}`));
    return new Promise((resolve, reject) => {
      execFile('mkfifo', ['-m', '0622', '--', ...paths], (error) => {
        if (error) return reject(new Error(`could not make the script's output pipes: ${error.message}`));
        this.ready.push(...paths);
        resolve();
      });
    });
  }
}
