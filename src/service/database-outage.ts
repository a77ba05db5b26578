// Owns recognising a database that does not answer (refused, cut, restarting) and retrying writes until it answers again.
import { errorCode } from '../core/error-code.js';
import type { Clock } from '../core/clock.js';
import type { ServiceLogger } from './service-deps.js';

// errno names of a connection that could not be made or was cut.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// SQLSTATEs: class 08 (connection exception), the server shutting down or starting (57P01-57P03), no free connection (53300).
const SQLSTATE_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
// node-postgres reports a dropped or never-made connection by message only.
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Query read timeout/i;

/** True when `error` says the database could not be reached or dropped the connection, not that the request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  const code = errorCode(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || SQLSTATE_UNAVAILABLE.test(code))) return true;
  return error instanceof Error && PG_MESSAGES.test(error.message);
}

/** Keeps writes waiting (in order, in memory) while the database does not answer. */
export interface DatabaseOutage {
  /**
   * Runs `write(attempt)`; while it fails because the database does not answer, waits and runs it again with the next
   * attempt number (a later attempt must cope with an earlier one having landed before its answer was lost).
   */
  retry<T>(write: (attempt: number) => Promise<T>): Promise<T>;
  /** Non-null while writes are waiting for the database, saying since when and with which error. */
  problem(): string | null;
  /** Stops waiting (shutdown): writes still retrying fail with their last error, later ones are tried once. */
  giveUp(): void;
}

/** Settings of the outage keeper. */
export interface DatabaseOutageOptions {
  clock: Clock;
  logger: ServiceLogger;
  /** Milliseconds between attempts while the database does not answer. */
  retryMs: number;
}

/** Creates the keeper of writes waiting for the database. */
export function createDatabaseOutage(options: DatabaseOutageOptions): DatabaseOutage {
  let problem: string | null = null;
  let gaveUp = false;
  const wakers = new Set<() => void>();

  function began(error: unknown): void {
    if (problem !== null) return;
    const reason = error instanceof Error ? error.message : String(error);
    problem = `the database does not answer since ${new Date(options.clock.now()).toISOString()}: ${reason}`;
    options.logger.error({ err: error }, 'the database does not answer; output and writes are held in memory');
  }

  function pause(): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, options.retryMs);
      wakers.add(wake);
    });
  }

  return {
    async retry(write) {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await write(attempt);
          if (problem !== null) {
            problem = null;
            options.logger.info({}, 'the database answers again; held writes are being stored');
          }
          return result;
        } catch (error) {
          if (gaveUp || !isDatabaseUnavailable(error)) throw error;
          began(error);
          await pause();
        }
      }
    },
    problem: () => problem,
    giveUp() {
      gaveUp = true;
      for (const wake of [...wakers]) wake();
    },
  };
}
