// Owns inline previews of artifacts: images by URL, text by its first 64 KB (shown as text, never HTML).
import { useEffect, useState } from 'preact/hooks';
import type { WireArtifact } from '../../../src/core/wire-types';

const TEXT_LIMIT = 65_536;

/** True when an artifact can be previewed inline. */
export function canPreview(artifact: WireArtifact): boolean {
  return artifact.mime_type.startsWith('image/') || isText(artifact);
}

function isText(artifact: WireArtifact): boolean {
  return (
    artifact.mime_type.startsWith('text/') ||
    /json|xml|yaml|csv|javascript/.test(artifact.mime_type) ||
    artifact.artifact_type === 'log'
  );
}

function TextPreview({ artifact }: { artifact: WireArtifact }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch(artifact.download_url, { headers: { range: `bytes=0-${TEXT_LIMIT - 1}` }, signal: controller.signal })
      .then((response) => response.text())
      .then(
        (body) => setText(body.slice(0, TEXT_LIMIT)),
        (error: Error) => setText(`could not load preview: ${error.message}`),
      );
    return () => controller.abort();
  }, [artifact.download_url]);
  if (text === null) return <p class="muted">Loading preview…</p>;
  return (
    <>
      <pre class="artifact-text">{text}</pre>
      {artifact.file_size > TEXT_LIMIT && (
        <p class="muted small">
          Showing the first 64 KB of {artifact.file_size.toLocaleString()} bytes. Download for the rest.
        </p>
      )}
    </>
  );
}

/** The preview for one artifact. */
export function ArtifactPreview({ artifact }: { artifact: WireArtifact }) {
  if (artifact.mime_type.startsWith('image/'))
    return (
      <img
        class="artifact-image"
        src={artifact.download_url}
        alt={artifact.description ?? artifact.name}
        loading="lazy"
      />
    );
  return <TextPreview artifact={artifact} />;
}
