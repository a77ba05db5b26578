// Composition root: config -> store -> bus -> runner -> service -> HTTP. The only place that names concrete implementations.
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { createEventBus } from './bus/event-bus.js';
import type { Config } from './config/config.js';
import { systemClock } from './core/clock.js';
import { createHttpServer } from './http/create-http-server.js';
import { isProcessGroupAlive, killProcessGroup } from './runner/kill-process-group.js';
import { runExecution } from './runner/run-execution.js';
import { createExecutionService } from './service/execution-service.js';
import { createHealthService } from './service/health-service.js';
import { openSqliteStore } from './store/sqlite/open-sqlite-store.js';

/** A started server. */
export interface RunningApp {
  url: string;
  port: number;
  /** Stops accepting, cancels running executions, flushes logs, closes the database. */
  close(): Promise<void>;
}

/** StepFlow's version, from package.json. */
export const VERSION: string = packageJson.version;

function killOrphanGroup(pgid: number): boolean {
  if (!isProcessGroupAlive(pgid)) return false;
  return killProcessGroup(pgid, 'SIGKILL');
}

/** Opens the store, recovers interrupted executions and starts listening. */
export async function startApp(config: Config, options: { env?: Record<string, string | undefined> } = {}): Promise<RunningApp> {
  const logger = pino({ level: config.logLevel, base: { service: 'stepflow' } });
  const store = await openSqliteStore({ storagePath: config.storagePath, cacheSizeKib: config.cacheSizeKib, walAutocheckpoint: config.walAutocheckpoint });
  const bus = createEventBus((error) => logger.error({ err: error }, 'event listener failed'));
  const service = createExecutionService({
    store,
    bus,
    clock: systemClock,
    logger,
    launch: runExecution,
    killOrphanGroup,
    baseEnvironment: options.env ?? {},
    settings: {
      maxConcurrent: config.maxConcurrent,
      killGraceMs: config.killGraceSeconds * 1000,
      markerMode: config.markerMode,
      defaultWorkingDirectory: config.defaultWorkingDirectory,
      logFlushMs: config.logFlushMs,
      logBatchLines: config.logBatchLines,
      storagePath: config.storagePath,
    },
  });
  const recovered = await service.recover();
  if (recovered.interrupted + recovered.requeued > 0) logger.warn(recovered, 'recovered executions left by a previous server process');
  const health = createHealthService({ store, storagePath: config.storagePath, version: VERSION, startedAt: Date.now(), websocket: () => ({ status: 'disabled', message: 'the live feed is not served by this version' }) });
  const http = await createHttpServer({ service, health, logger, version: VERSION });
  try {
    await http.listen({ host: config.host, port: config.port });
  } catch (error) {
    await service.shutdown();
    await store.close();
    throw error;
  }
  const address = http.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ url: `http://${host}:${address.port}`, storage: config.storagePath }, 'listening');
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= (async () => {
        // The listener closes first; in-flight requests (e.g. a cancel waiting for its run) finish once runs are stopped.
        const httpClosed = http.close();
        await service.shutdown();
        await httpClosed;
        await store.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}
