// Owns when an agent run stops reading its script's output: its spool is full, or it is too far ahead of the server.

/**
 * Bytes a run may hold unacknowledged (sent, spooled or still filling its next batch) while the server answers; past
 * it the run stops reading until the server has acknowledged half. A script that prints faster than the server stores
 * then waits on its pipe, as it does on the local executor, instead of the agent reading minutes ahead: what a
 * subscriber sees stays as fresh as the server's pace allows, and the agent's memory stays small.
 */
export const READ_AHEAD_BYTES = 64 * 1024;

/** A run's read-ahead accounting and the pause it decides. */
export class RunFlow {
  private readonly sizes = new Map<number, number>();
  private spooled = 0;
  private filling = 0;
  private spoolFull = false;
  private ahead = false;
  private paused = false;

  constructor(
    /** Pauses (true) or resumes (false) reading the script's output; called only when that changes. */
    private readonly pause: (paused: boolean) => void,
    /** False while the server does not answer: the spool then takes the output, up to its limit. */
    private readonly serverAnswers: () => boolean,
  ) {}

  /** The bytes of the batch still filling. */
  filled(bytes: number): void {
    this.filling = bytes;
    this.decide();
  }

  /** Batch `seq` was cut: its bytes are held until it is acknowledged. */
  cut(seq: number, bytes: number): void {
    this.sizes.set(seq, bytes);
    this.spooled += bytes;
    this.filling = 0;
    this.decide();
  }

  acknowledged(seq: number): void {
    this.spooled -= this.sizes.get(seq) ?? 0;
    this.sizes.delete(seq);
    this.decide();
  }

  /** The agent's spool filled up or drained. */
  setSpoolFull(full: boolean): void {
    this.spoolFull = full;
    this.decide();
  }

  /** The server stopped or started answering: decide again. */
  reconsider(): void {
    this.decide();
  }

  private decide(): void {
    const held = this.spooled + this.filling;
    this.ahead = this.serverAnswers() && (this.ahead ? held > READ_AHEAD_BYTES / 2 : held > READ_AHEAD_BYTES);
    const paused = this.spoolFull || this.ahead;
    if (paused === this.paused) return;
    this.paused = paused;
    this.pause(paused);
  }
}
