// Owns the artifact use cases every transport calls: collect from markers, list, get, open for download, upload, delete.
import type { EventBus } from '../../bus/event-bus.js';
import { AppError } from '../../core/app-error.js';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { Clock } from '../../core/clock.js';
import type { ScriptUser } from '../launch-run.js';
import type { ArtifactFilter, Store } from '../../store/store.js';
import type { ServiceLogger } from '../service-deps.js';
import type { ArtifactContext } from './artifact-context.js';
import { ArtifactStorage, type StoredFile } from './artifact-storage.js';
import { collectArtifact } from './collect-artifact.js';
import { pinArtifactRoots } from './pin-artifact-roots.js';
import { receiveUpload, type UploadPart } from './receive-upload.js';
import type { OpenRunArtifacts } from './track-run-artifacts.js';

/** What the artifact service is built from; app.ts supplies it. */
export interface ArtifactServiceDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: ServiceLogger;
  /** The artifacts folder (`<storagePath>/artifacts`, or STEPFLOW_ARTIFACT_PATH shared by several servers). */
  artifactPath: string;
  /** This server's name: its staging folder inside a shared artifacts folder. */
  serverName?: string;
  /** Directories besides the working directory that ARTIFACT paths may point into. */
  artifactRoots: readonly string[];
  maxArtifactBytes: number;
  /** Most entries a packed directory may hold (default MAX_PACK_ENTRIES); only tests lower it. */
  maxPackEntries?: number;
  /** The user scripts run as (STEPFLOW_RUN_AS); absent or null: the server's own user. */
  runAs?: ScriptUser | null;
  /** Told about a storage failure (disk full) so the host frees its storage reserve. */
  onStorageFailure?: (error: unknown) => void;
  /** Non-null, saying why, while the storage reserve is in use: nothing new is written then. */
  storageProblem?: () => string | null;
}

/** The artifact use cases. */
export type ArtifactService = ReturnType<typeof createArtifactService>;

/** Creates the artifact service; hand `openRun` to the execution service as its ARTIFACT hook. */
export function createArtifactService(deps: ArtifactServiceDeps) {
  const ctx: ArtifactContext = {
    store: deps.store,
    bus: deps.bus,
    clock: deps.clock,
    logger: deps.logger,
    storage: new ArtifactStorage(deps.artifactPath, deps.serverName),
    roots: deps.artifactRoots,
    maxBytes: deps.maxArtifactBytes,
    maxPackEntries: deps.maxPackEntries,
    readableBy: deps.runAs ?? null,
    onStorageFailure: deps.onStorageFailure,
  };
  const storageProblem = (): string | null => deps.storageProblem?.() ?? null;

  async function require(id: number): Promise<ArtifactRecord> {
    const artifact = await deps.store.getArtifact(id);
    if (!artifact) throw new AppError('artifact_not_found', `artifact ${id} not found`, 'id');
    return artifact;
  }

  const openRun: OpenRunArtifacts = async (record) => {
    const pinned = await pinArtifactRoots(record.working_directory, ctx.roots);
    return {
      async collect(effect, signal) {
        const problem = storageProblem();
        // Copying into the freed reserve would take the room kept for ending executions; the warning line then fails the run.
        if (problem !== null)
          return { status: 'refused', warning: `warning: artifact "${effect.path}" refused: ${problem}` };
        return collectArtifact(ctx, record, effect, { pinned, signal });
      },
      close: () => pinned.close(),
    };
  };

  return {
    openRun,
    maxBytes: deps.maxArtifactBytes,
    list: (filter: ArtifactFilter) => deps.store.listArtifacts(filter),
    get: require,

    /** The artifact and its open file; the caller closes `file.handle`. */
    async open(id: number): Promise<{ artifact: ArtifactRecord; file: StoredFile }> {
      const artifact = await require(id);
      return { artifact, file: await ctx.storage.openStored(artifact.file_path) };
    },

    /** Stores an uploaded file; 503 before a byte is read while the storage reserve is in use, 507 when the disk fills during it. */
    async upload(parts: AsyncIterable<UploadPart>): Promise<ArtifactRecord> {
      const problem = storageProblem();
      if (problem !== null) throw new AppError('storage_unavailable', problem);
      return receiveUpload(ctx, parts);
    },

    /** Removes the row, then the file; a file that cannot be removed is logged, not reported to the client. */
    async delete(id: number): Promise<void> {
      const artifact = await require(id);
      await deps.store.deleteArtifact(id);
      await ctx.storage
        .remove(artifact.file_path)
        .catch((error: unknown) =>
          deps.logger.warn({ artifact_id: id, err: error }, 'artifact file could not be removed'),
        );
    },

    /** Removes half-written files a previous server process left; call once before serving. */
    sweepStaging: () => ctx.storage.sweepStaging(),
  };
}
