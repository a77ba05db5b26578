// Owns the health checks: the database answers, the storage directory is writable and has room.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { statfs, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/store.js';

/** The state of one checked part. */
export interface PartHealth {
  status: 'ok' | 'error' | 'disabled';
  message?: string;
  [figure: string]: unknown;
}

/** The answer of GET /api/health. */
export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  version: string;
  uptime_seconds: number;
  database: PartHealth;
  storage: PartHealth;
  websocket: PartHealth;
}

/** Runs the health checks on demand. */
export interface HealthService {
  check(): Promise<HealthReport>;
}

/** Free bytes below which the storage part reports an error unless the caller sets its own threshold. */
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;

/** Output held in memory while the database does not answer (see execution-service's heldOutput). */
export interface HeldOutputFigures {
  problem: string | null;
  lines: number;
  chars: number;
}

async function checkDatabase(store: Store, held: HeldOutputFigures | null): Promise<PartHealth> {
  // Shown while writes wait for the database: how much output this server holds in memory meanwhile.
  const holding = held !== null && held.problem !== null ? { held_lines: held.lines, held_chars: held.chars } : {};
  try {
    await store.ping();
    return { status: 'ok', ...holding };
  } catch (error) {
    return { status: 'error', message: `database check failed: ${(error as Error).message}`, ...holding };
  }
}

async function probeWrite(storagePath: string): Promise<string | null> {
  const probe = join(storagePath, `.health-${randomUUID()}`);
  try {
    await writeFile(probe, 'ok');
    await unlink(probe);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

// Writability and free space fail separately so the message says which one an operator must fix.
async function checkStorage(storagePath: string, minFreeBytes: number): Promise<PartHealth> {
  const writeError = await probeWrite(storagePath);
  if (writeError !== null)
    return { status: 'error', message: `storage is not writable: ${writeError}`, path: storagePath };
  try {
    const fs = await statfs(storagePath);
    const free = fs.bavail * fs.bsize;
    const figures = {
      path: storagePath,
      free_bytes: free,
      total_bytes: fs.blocks * fs.bsize,
      min_free_bytes: minFreeBytes,
    };
    if (free < minFreeBytes)
      return {
        status: 'error',
        message: `storage has ${free} bytes free, below the ${minFreeBytes} byte minimum`,
        ...figures,
      };
    return { status: 'ok', ...figures };
  } catch (error) {
    return {
      status: 'error',
      message: `storage free space cannot be read: ${(error as Error).message}`,
      path: storagePath,
    };
  }
}

/** How long a passed storage probe is reused: the probe writes and deletes a file, which capped /api/health near 2,000 req/s. */
export const STORAGE_PROBE_TTL_MS = 1000;

/**
 * The storage directory's device and inode, or null when the path is not a directory. Synchronous on purpose: the
 * same thread already reads the database in this directory synchronously, a stat of it is one system call, and the
 * promise version's thread-pool round trip took ~40 % of the server's busy CPU under a 50-connection /api/health load.
 */
function identifyDirectory(path: string): string | null {
  try {
    const info = statSync(path);
    return info.isDirectory() ? `${info.dev}:${info.ino}` : null;
  } catch {
    return null;
  }
}

/**
 * Reuses a passed storage check for STORAGE_PROBE_TTL_MS while the storage path is still the same directory (a
 * cheap stat: device and inode), so a replaced or removed directory is noticed at once. A failed check is never
 * reused, so recovery shows on the next call.
 */
function createCachedStorageCheck(
  storagePath: string,
  minFreeBytes: number,
  now: () => number,
): () => Promise<PartHealth> {
  let cached: { part: PartHealth; identity: string; at: number } | null = null;
  return async () => {
    const identity = identifyDirectory(storagePath);
    if (cached && identity === cached.identity && now() - cached.at < STORAGE_PROBE_TTL_MS) return cached.part;
    const part = await checkStorage(storagePath, minFreeBytes);
    cached = part.status === 'ok' && identity !== null ? { part, identity, at: now() } : null;
    return part;
  };
}

/**
 * The storage part with the artifacts folder checked too when it lies outside the storage directory (a shared
 * mount): a folder this server cannot write turns the part into an error naming it.
 */
function createArtifactCheck(
  storagePath: string,
  artifactPath: string | undefined,
  minFreeBytes: number,
  now: () => number,
): (storage: PartHealth) => Promise<PartHealth> {
  const relative = artifactPath === undefined ? '' : artifactPath.slice(storagePath.length);
  if (
    artifactPath === undefined ||
    (artifactPath.startsWith(storagePath) && (relative === '' || relative.startsWith('/')))
  )
    return async (storage) => storage;
  const checkCached = createCachedStorageCheck(artifactPath, minFreeBytes, now);
  return async (storage) => {
    const artifacts = await checkCached();
    if (artifacts.status === 'ok') return { ...storage, artifact_path: artifactPath };
    return {
      ...storage,
      status: 'error',
      message: `artifact directory ${artifactPath} (STEPFLOW_ARTIFACT_PATH): ${artifacts.message ?? 'unusable'}`,
      artifact_path: artifactPath,
    };
  };
}

/**
 * Creates the health service; `websocket` reports the live-feed server's state, `minFreeBytes`
 * defaults to 64 MiB, `storageProblem` reports a storage write that failed (null when none), `clock` times the
 * storage probe cache and the uptime (counted from `startedAt`).
 */
export function createHealthService(options: {
  store: Store;
  storagePath: string;
  artifactPath?: string;
  version: string;
  clock: Clock;
  startedAt: number;
  websocket: () => PartHealth;
  minFreeBytes?: number;
  storageProblem?: () => string | null;
  /** Output held in memory for the database (absent: not reported). */
  heldOutput?: () => HeldOutputFigures;
}): HealthService {
  const now = (): number => options.clock.now();
  const checkStorageCached = createCachedStorageCheck(
    options.storagePath,
    options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
    now,
  );
  const checkArtifacts = createArtifactCheck(
    options.storagePath,
    options.artifactPath,
    options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
    now,
  );
  return {
    async check() {
      const [database, measured] = await Promise.all([
        checkDatabase(options.store, options.heldOutput?.() ?? null),
        checkArtifacts(await checkStorageCached()),
      ]);
      // A write that already failed (disk full) is the clearest signal, whatever the probe sees after the reserve was freed.
      const problem = options.storageProblem?.() ?? null;
      const storage: PartHealth = problem === null ? measured : { ...measured, status: 'error', message: problem };
      const websocket = options.websocket();
      const healthy = database.status !== 'error' && storage.status !== 'error' && websocket.status !== 'error';
      return {
        status: healthy ? 'healthy' : 'unhealthy',
        timestamp: new Date(now()).toISOString(),
        version: options.version,
        uptime_seconds: Math.round((now() - options.startedAt) / 1000),
        database,
        storage,
        websocket,
      };
    },
  };
}
