// Owns the last step every new artifact takes: infer its type, move the file in, insert the row, announce it.
import type { ArtifactRecord, ArtifactType } from '../../core/artifact.js';
import type { ArtifactContext } from './artifact-context.js';
import { inferArtifactType, SNIFF_BYTES } from './infer-artifact-type.js';

/** A fully written staged file and what to record about it. */
export interface StagedArtifact {
  staged: string;
  size: number;
  execution_id: number;
  step_id: number | null;
  name: string;
  description: string | null;
  file_name: string;
  tags: string[];
  /** Given by an uploader; inferred when null. */
  artifact_type: ArtifactType | null;
}

/** Records a staged file as an artifact and publishes artifact_created; the staged file is moved or, on failure, left for the caller to discard. */
export async function recordArtifact(ctx: ArtifactContext, input: StagedArtifact): Promise<ArtifactRecord> {
  const head = await ctx.storage.readHead(input.staged, SNIFF_BYTES);
  const inferred = inferArtifactType(input.file_name, head);
  const filePath = await ctx.storage.commit(input.staged, input.execution_id, input.file_name);
  try {
    const artifact = await ctx.store.createArtifact({
      execution_id: input.execution_id,
      step_id: input.step_id,
      name: input.name,
      description: input.description,
      file_path: filePath,
      file_name: input.file_name,
      file_size: input.size,
      mime_type: inferred.mime_type,
      artifact_type: input.artifact_type ?? inferred.artifact_type,
      created_at: ctx.clock.now(),
      tags: input.tags,
      is_public: false,
      retention_days: null,
    });
    ctx.bus.publish({ type: 'artifact_created', execution_id: artifact.execution_id, artifact });
    return artifact;
  } catch (error) {
    await ctx.storage.remove(filePath);
    throw error;
  }
}
