// Owns the health checks: the database answers, the storage directory is writable and has room.
import { randomUUID } from 'node:crypto';
import { statfs, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

const MIN_FREE_BYTES = 64 * 1024 * 1024;

async function checkDatabase(store: Store): Promise<PartHealth> {
  try {
    await store.ping();
    return { status: 'ok' };
  } catch (error) {
    return { status: 'error', message: `database check failed: ${(error as Error).message}` };
  }
}

async function checkStorage(storagePath: string): Promise<PartHealth> {
  const probe = join(storagePath, `.health-${randomUUID()}`);
  try {
    await writeFile(probe, 'ok');
    await unlink(probe);
    const fs = await statfs(storagePath);
    const free = fs.bavail * fs.bsize;
    if (free < MIN_FREE_BYTES) return { status: 'error', message: `storage has only ${free} bytes free`, free_bytes: free, path: storagePath };
    return { status: 'ok', free_bytes: free, path: storagePath };
  } catch (error) {
    return { status: 'error', message: `storage is not writable: ${(error as Error).message}`, path: storagePath };
  }
}

/** Creates the health service; `websocket` reports the live-feed server's state. */
export function createHealthService(options: { store: Store; storagePath: string; version: string; startedAt: number; websocket: () => PartHealth }): HealthService {
  return {
    async check() {
      const [database, storage] = await Promise.all([checkDatabase(options.store), checkStorage(options.storagePath)]);
      const websocket = options.websocket();
      const healthy = database.status !== 'error' && storage.status !== 'error' && websocket.status !== 'error';
      return {
        status: healthy ? 'healthy' : 'unhealthy',
        timestamp: new Date().toISOString(),
        version: options.version,
        uptime_seconds: Math.round((Date.now() - options.startedAt) / 1000),
        database,
        storage,
        websocket,
      };
    },
  };
}
