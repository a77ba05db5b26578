// Owns the list of an execution's artifacts: size, type, description, download and an inline preview.
import { useState } from 'preact/hooks';
import type { WireArtifact } from '../../../src/core/wire-types';
import { formatBytes } from '../format';
import { ArtifactPreview, canPreview } from './artifact-preview';

/** Artifacts of one execution. */
export function ArtifactList({ artifacts }: { artifacts: WireArtifact[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (artifacts.length === 0)
    return (
      <p class="empty">
        No artifacts. Scripts keep files with <code>ARTIFACT:path:description</code>.
      </p>
    );
  return (
    <ul class="artifacts">
      {artifacts.map((artifact) => (
        <li key={artifact.id} class="artifact card" data-artifact={artifact.name}>
          <div class="artifact-head">
            <span class="artifact-type" title={artifact.mime_type}>
              {artifact.artifact_type}
            </span>
            <strong class="ellipsis">{artifact.name}</strong>
            <span class="muted">{formatBytes(artifact.file_size)}</span>
            <span class="spacer" />
            {canPreview(artifact) && (
              <button
                type="button"
                aria-expanded={open === artifact.id}
                onClick={() => setOpen(open === artifact.id ? null : artifact.id)}
              >
                {open === artifact.id ? 'Hide preview' : 'Preview'}
              </button>
            )}
            <a class="button" href={artifact.download_url} download={artifact.file_name}>
              Download
            </a>
          </div>
          {artifact.description && <p class="muted">{artifact.description}</p>}
          {open === artifact.id && <ArtifactPreview artifact={artifact} />}
        </li>
      ))}
    </ul>
  );
}
