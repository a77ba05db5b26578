// Owns showing META key/value pairs (of a run or a step) as a definition list.

/** The entries of `metadata` except those named in `hide`; nothing when none is left. */
export function MetadataList({
  metadata,
  hide = [],
  label,
}: {
  metadata: Record<string, unknown>;
  hide?: readonly string[];
  label: string;
}) {
  const entries = Object.entries(metadata).filter(([key]) => !hide.includes(key));
  if (entries.length === 0) return null;
  return (
    <dl class="metadata" aria-label={label}>
      {entries.map(([key, value]) => (
        <div key={key} data-meta={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
