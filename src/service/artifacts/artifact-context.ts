// Owns what the artifact use cases are built from; app.ts supplies it through createArtifactService.
import type { EventBus } from '../../bus/event-bus.js';
import type { Clock } from '../../core/clock.js';
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
  /** Largest artifact kept, in bytes. */
  maxBytes: number;
  /** Told about a storage failure (disk full) so the host frees its storage reserve. */
  onStorageFailure?: ((error: unknown) => void) | undefined;
}
