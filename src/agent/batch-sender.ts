// Owns sending an agent's batches: those of several runs waiting at once go out together, in few requests at a time.
import {
  AGENT_MAX_BATCH_BYTES,
  AGENT_MAX_BATCHES_PER_REQUEST,
  AGENT_PROTOCOL_VERSION,
  type AgentAck,
} from '../core/agent-protocol.js';
import { AgentRequestError, type AgentClient } from './agent-client.js';

/** What the sender needs from its agent. */
export interface BatchSenderDeps {
  client: AgentClient;
  /** The agent's session, waiting while the agent registers again. */
  session(): Promise<string>;
}

interface Waiting {
  body: Buffer;
  resolve(ack: AgentAck): void;
  reject(error: unknown): void;
}

/** Room left in a request for its envelope (type, protocol, session). */
const ENVELOPE_BYTES = 4096;

/**
 * Keeps at most `maxInFlight` batches requests in flight. A batch handed over while they are all busy waits, and the
 * next request takes every batch waiting then (up to the protocol's limits): a hundred runs printing a little each make
 * a few large requests, not a hundred small ones, and a quiet agent still sends each batch at once.
 */
export class BatchSender {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private answered = true;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: BatchSenderDeps,
    private readonly maxInFlight: number,
    private readonly maxBytes = AGENT_MAX_BATCH_BYTES - ENVELOPE_BYTES,
  ) {}

  /** False from a request the server did not answer (cut connection, 5xx, 429) until one it answers. */
  get answering(): boolean {
    return this.answered;
  }

  /** Calls `listener` whenever `answering` changes. */
  onAnsweringChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * Sends one batch (its JSON, UTF-8: execution_id, seq, effects); resolves with its acknowledgement, rejects with the
   * request's failure or the batch's own refusal (an AgentRequestError either way).
   */
  send(body: Buffer): Promise<AgentAck> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, resolve, reject });
      // Batches cut in the same turn of the event loop leave together.
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.dispatch();
      });
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group = this.take();
      this.inFlight++;
      void this.post(group).finally(() => {
        this.inFlight--;
        this.dispatch();
      });
    }
  }

  /** The waiting batches, oldest first, that fit one request (always at least one). */
  private take(): Waiting[] {
    let bytes = 0;
    let count = 0;
    for (const waiting of this.queue) {
      const size = waiting.body.length + 1;
      if (count === AGENT_MAX_BATCHES_PER_REQUEST || (count > 0 && bytes + size > this.maxBytes)) break;
      bytes += size;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async post(group: Waiting[]): Promise<void> {
    try {
      const session = await this.deps.session();
      const body: (string | Buffer)[] = [
        `{"type":"batches","protocol":${AGENT_PROTOCOL_VERSION},"session":${JSON.stringify(session)},"batches":[`,
      ];
      group.forEach((waiting, i) => (i === 0 ? body.push(waiting.body) : body.push(',', waiting.body)));
      body.push(']}');
      const answer = await this.deps.client.batches(body);
      this.setAnswered(true);
      group.forEach((waiting, i) => {
        const result = answer.results[i];
        if (result === undefined)
          waiting.reject(new AgentRequestError(502, 'http_error', 'the server answered fewer results than batches'));
        else if (result.type === 'ack') waiting.resolve(result);
        else waiting.reject(new AgentRequestError(result.status, result.code, result.error));
      });
    } catch (error) {
      const unanswered =
        !(error instanceof AgentRequestError) || error.status === 0 || error.status >= 500 || error.status === 429;
      if (unanswered) this.setAnswered(false);
      for (const waiting of group) waiting.reject(error);
    }
  }

  private setAnswered(answered: boolean): void {
    if (answered === this.answered) return;
    this.answered = answered;
    for (const listener of this.listeners) listener();
  }
}
