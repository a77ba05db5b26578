// Owns what the artifact use cases are built from; app.ts supplies it through createArtifactService.
import type { EventBus } from '../../bus/event-bus.js';
import type { Clock } from '../../core/clock.js';
import type { ScriptUser } from '../launch-run.js';
import type { Store } from '../../store/store.js';
import type { ServiceLogger } from '../service-deps.js';
import type { ArtifactStorage } from './artifact-storage.js';

/** Dependencies and settings shared by the artifact use cases. */
export interface ArtifactContext {
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: ServiceLogger;
  storage: ArtifactStorage;
  /** Directories besides the working directory that ARTIFACT paths may point into. */
  roots: readonly string[];
  /** Largest artifact kept, in bytes; for a directory, both its uncompressed contents and its .tar.gz. */
  maxBytes: number;
  /** Most entries a packed directory may hold (default MAX_PACK_ENTRIES; tests set fewer). */
  maxPackEntries?: number;
  /** The user scripts run as (STEPFLOW_RUN_AS): only what that user could read is kept. Null: the server's own user. */
  readableBy: ScriptUser | null;
  /** Told about a storage failure (disk full) so the host frees its storage reserve. */
  onStorageFailure?: ((error: unknown) => void) | undefined;
}
