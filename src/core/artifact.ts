// Owns the artifact domain types.

/** Artifact kinds of the contract, inferred from name and content. */
export type ArtifactType = 'document' | 'image' | 'data' | 'log' | 'archive' | 'other';

/** An artifact as stored. `file_path` is relative to the storage directory's artifacts folder. */
export interface ArtifactRecord {
  id: number;
  execution_id: number;
  step_id: number | null;
  name: string;
  description: string | null;
  file_path: string;
  file_name: string;
  file_size: number;
  mime_type: string;
  artifact_type: ArtifactType;
  created_at: number;
  tags: string[];
  is_public: boolean;
  retention_days: number | null;
}
