// Composition root: config -> store -> bus -> runner -> service -> HTTP. The only place that names concrete implementations.
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { pino } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { createEventBus } from './bus/event-bus.js';
import { composeAccess } from './compose-access.js';
import { composeScriptConfinement } from './compose-script-confinement.js';
import { composeCluster, type RunningCluster } from './compose-cluster.js';
import { composeStore } from './compose-store.js';
import { checkExposure } from './config/check-exposure.js';
import type { Config } from './config/config.js';
import { systemClock, type Clock } from './core/clock.js';
import { createHttpServer } from './http/create-http-server.js';
import { isProcessGroupAlive, killProcessGroup } from './runner/kill-process-group.js';
import { createProcessLimiter } from './runner/limit-processes.js';
import { runExecution } from './runner/run-execution.js';
import { startSpawner } from './runner/spawner/start-spawner.js';
import { createArtifactService } from './service/artifacts/artifact-service.js';
import { createExecutionService } from './service/execution-service.js';
import { createHealthFiguresService } from './service/health-figures-service.js';
import { createHealthService } from './service/health-service.js';
import { createMetricsService } from './service/metrics-service.js';
import { createLogSearch } from './service/create-log-search.js';
import { createReadRouting } from './service/read-routing.js';
import { startLogSealer } from './service/log-sealer.js';
import { startRetention } from './service/retention-service.js';
import { describeStorageFailure, isStorageFailure } from './service/storage-failure.js';
import { createStorageReserve } from './service/storage-reserve.js';
import { createSystemSampler } from './service/system-sampler.js';
import { createWsHub } from './ws/ws-hub.js';
import { listenStandalone } from './listen-standalone.js';
import { createShutdown } from './app-shutdown.js';

/** A started server. */
export interface RunningApp {
  url: string;
  port: number;
  /** The standalone WebSocket port actually bound, or null when it is off (websocketPort 0). */
  wsPort: number | null;
  /** Every HTTP route as `{method, url}` (tests prove each one is guarded). */
  routes: readonly { method: string; url: string }[];
  /** Stops accepting, cancels running executions, flushes logs, closes the database. */
  close(): Promise<void>;
}

/** StepFlow's version, from package.json. */
export const VERSION: string = packageJson.version;

/** Bytes set aside in the storage directory and freed on a full disk, so failed executions can still be recorded. */
const STORAGE_RESERVE_BYTES = 1024 * 1024;

function killOrphanGroup(pgid: number): boolean {
  if (!isProcessGroupAlive(pgid)) return false;
  return killProcessGroup(pgid, 'SIGKILL');
}

/** What startApp takes besides the config. */
export interface StartOptions {
  /** The environment scripts inherit (default: none). */
  env?: Record<string, string | undefined>;
  /** Test-only: fewer entries per packed directory than MAX_PACK_ENTRIES, so a test need not create 100,000 files. */
  maxPackEntries?: number;
  /** The clock every part of the server reads time from (default: the system clock); tests move it to age executions. */
  clock?: Clock;
}

/** Opens the store, recovers interrupted executions and starts listening. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  // Checked before anything is opened: an unauthenticated public bind must never start, whatever the entry point.
  const exposure = checkExposure(config);
  if (exposure.refusal) throw new Error(exposure.refusal);
  // Also before anything is opened: a hardened mode that cannot drop privileges must not start unhardened.
  const runAs = composeScriptConfinement(config);
  const logger = pino({ level: config.logLevel, base: { service: 'stepflow' } });
  const clock = options.clock ?? systemClock;
  if (runAs !== null) logger.info({ user: runAs.name, uid: runAs.uid, gid: runAs.gid }, 'scripts run as another user');
  // A client that just wrote reads the primary for a while; other requests' heavy reads may go to a read replica.
  const reads = createReadRouting(clock, config.readYourWritesSeconds * 1000);
  const { store, cluster } = await composeStore(config, logger, () => reads.replicaAllowed());
  // Set once the service exists; until then the queue, still empty, needs no nudge.
  let resumeService = (): void => {};
  const reserve = createStorageReserve({
    dir: config.storagePath,
    bytes: STORAGE_RESERVE_BYTES,
    onRestored: () => {
      logger.info('storage has room again; reserve restored');
      resumeService();
    },
  });
  if (!(await reserve.ensure())) {
    // Without its reserve the server could not record a failure: it starts, but takes no new work until there is room.
    reserve.release(
      `storage full: could not set aside the ${STORAGE_RESERVE_BYTES}-byte storage reserve (free space in ${config.storagePath})`,
    );
    logger.warn({ storage: config.storagePath }, 'storage is nearly full: could not set aside the storage reserve');
  }
  const onStorageFailure = (error: unknown): void => {
    if (!isStorageFailure(error) || reserve.problem() !== null) return;
    reserve.release(`${describeStorageFailure(error)} (free space in ${config.storagePath})`);
    logger.error({ err: error, storage: config.storagePath }, 'storage write failed; released the storage reserve');
  };
  const storageProblem = (): string | null => reserve.problem();
  const processLimit = createProcessLimiter(config.maxProcesses);
  if (processLimit.reason !== null)
    logger.warn(
      { max_processes: config.maxProcesses, reason: processLimit.reason },
      'the per-execution process cap is not enforced',
    );
  // Scripts are forked by a helper process: fork+exec blocks its thread for milliseconds, and this event loop serves everyone.
  const spawner = await startSpawner({
    onHelperExit: (code, signal) => logger.error({ code, signal }, 'the process spawner exited; starting a new one'),
  });
  const bus = createEventBus((error) => logger.error({ err: error }, 'event listener failed'));
  const artifacts = createArtifactService({
    store,
    bus,
    clock,
    logger,
    artifactPath: config.artifactPath,
    serverName: config.serverName,
    artifactRoots: config.artifactRoots,
    maxArtifactBytes: config.maxArtifactBytes,
    maxPackEntries: options.maxPackEntries,
    runAs,
    onStorageFailure,
    storageProblem,
  });
  await artifacts.sweepStaging();
  const service = createExecutionService(
    {
      store,
      bus,
      clock,
      logger,
      launch: (request, deps) => runExecution(request, { ...deps, spawnChild: spawner.spawn }),
      killOrphanGroup,
      baseEnvironment: options.env ?? {},
      onStorageFailure,
      storageProblem,
      cluster: cluster ?? undefined,
      limitProcesses: processLimit.limit ?? undefined,
      settings: {
        maxConcurrent: config.maxConcurrent,
        killGraceMs: config.killGraceSeconds * 1000,
        markerMode: config.markerMode,
        markers: config.markers,
        defaultWorkingDirectory: config.defaultWorkingDirectory,
        logFlushMs: config.logFlushMs,
        logBatchLines: config.logBatchLines,
        storagePath: config.storagePath,
        artifactPath: config.artifactPath,
        maxQueued: config.maxQueued,
        secretNamePatterns: config.secretNamePatterns,
        workingRoots: config.workingRoots,
        runAs,
        childEnvPassthrough: config.childEnvPassthrough,
        maxArtifactBytes: config.maxArtifactBytes,
        hostName: hostname(),
        localExecutor: config.localExecutor,
        agentLostSeconds: config.agentLostSeconds,
        outageBufferMb: config.outageBufferMb,
      },
    },
    artifacts.openRun,
  );
  resumeService = () => void service.storageRestored();
  const access = await composeAccess(config, store, clock, logger);
  const retention = startRetention({
    store,
    bus,
    clock,
    logger,
    deleteExecution: (id) => service.delete(id, false),
    retentionDays: config.retentionDays,
    maxExecutions: config.retentionMaxExecutions,
  });
  const hub = createWsHub({
    bus,
    feed: service,
    logger,
    clock,
    origins: access.origins,
    authenticate: access.authenticateUpgrade,
  });
  // Before recovery, so executions it re-queues are counted.
  const metrics = createMetricsService({
    bus,
    counts: () => service.counts(),
    connectedClients: () => hub.connectedClients(),
  });
  const system = createSystemSampler({ diskPath: config.storagePath });
  // Before recovery: this server heartbeats before it claims from the shared queue.
  const clustered: RunningCluster | null =
    cluster &&
    (await composeCluster({
      cluster,
      store,
      bus,
      logger,
      service,
      watching: (id) => hub.watching(id),
      lostSeconds: config.serverLostSeconds,
    }));
  const recovered = await service.recover();
  if (recovered.interrupted + recovered.requeued > 0)
    logger.warn(recovered, 'recovered executions left by a previous server process');
  // After recovery, so logs of executions it ended are sealed too; the server serves while it works.
  const sealer = startLogSealer({ store, bus, logger });
  const startedAt = clock.now();
  const health = createHealthService({
    store,
    storagePath: config.storagePath,
    artifactPath: config.artifactPath,
    version: VERSION,
    clock,
    startedAt,
    websocket: () => hub.health(),
    storageProblem,
    heldOutput: () => service.heldOutput(),
  });
  const healthFigures = createHealthFiguresService({
    store,
    health,
    system,
    storagePath: config.storagePath,
    clock,
    startedAt,
    counts: () => service.counts(),
    websocket: () => ({ connected_clients: hub.connectedClients(), total_messages: hub.totalMessages() }),
  });
  const http = await createHttpServer({
    service,
    search: createLogSearch(store, clock),
    artifacts,
    health,
    healthFigures,
    metrics,
    logger,
    clock,
    version: VERSION,
    access: access.access,
    audit: access.audit,
    reads: config.databaseReadUrl === null ? undefined : reads,
  });
  hub.attach(http.server);
  const close = createShutdown({
    http,
    retention,
    service,
    cluster: clustered,
    sealer,
    hub,
    samplers: [system, metrics, reserve],
    processLimit,
    spawner,
    store,
    logger,
  });
  let wsPort: number | null = null;
  try {
    // A deep accept backlog: bursts of 1,000 simultaneous connections must not overflow into SYN retries (1 s each).
    await http.listen({ host: config.host, port: config.port, backlog: 4096 });
    access.setHttpPort((http.server.address() as AddressInfo).port);
    if (config.websocketPort !== 0) wsPort = await listenStandalone(hub, config, logger);
  } catch (error) {
    await close();
    throw error;
  }
  const address = http.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ url: `http://${host}:${address.port}`, ws_port: wsPort, storage: config.storagePath }, 'listening');
  return { url: `http://${host}:${address.port}`, port: address.port, wsPort, routes: access.routes, close };
}
