// Owns /artifacts: every artifact with filters by execution and type, download, and delete after confirmation; stacks into cards on phones.
import { useEffect, useState } from 'preact/hooks';
import type { WireArtifact } from '../../../src/core/wire-types';
import { api, toQuery, type ArtifactList } from '../api';
import { Link } from '../components/link';
import { formatAgo, formatBytes } from '../format';
import { navigate, useLocation } from '../router';
import { useCan } from '../session';
import { formatTime, useTimeZone } from '../time-zone';
import { useDocumentTitle } from '../use-document-title';

const TYPES = ['document', 'image', 'data', 'log', 'archive', 'other'];

function Row({ artifact, onDelete }: { artifact: WireArtifact; onDelete: (artifact: WireArtifact) => void }) {
  const canDelete = useCan('admin');
  const zone = useTimeZone();
  return (
    <tr data-artifact={artifact.name}>
      <td class="a-name">
        <strong>{artifact.name}</strong>
        {artifact.description && <div class="muted small">{artifact.description}</div>}
      </td>
      <td>
        <span class="artifact-type">{artifact.artifact_type}</span>
      </td>
      <td>{formatBytes(artifact.file_size)}</td>
      <td>
        <Link href={`/executions/${artifact.execution_id}`}>#{artifact.execution_id}</Link>
      </td>
      <td title={formatTime(artifact.created_at, zone)}>{formatAgo(artifact.created_at)}</td>
      <td class="row-actions">
        <a class="button" href={artifact.download_url} download={artifact.file_name}>
          Download
        </a>
        {canDelete && (
          <button type="button" class="danger" onClick={() => onDelete(artifact)}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/** The artifacts page. */
export function ArtifactsPage() {
  const { query } = useLocation();
  const executionId = query.get('execution_id') ?? '';
  const type = query.get('artifact_type') ?? '';
  const [list, setList] = useState<ArtifactList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [idInput, setIdInput] = useState(executionId);
  useDocumentTitle('Artifacts — StepFlow');
  const load = () =>
    api<ArtifactList>(`/api/artifacts${toQuery({ limit: 200, execution_id: executionId, artifact_type: type })}`).then(
      setList,
      (failure: Error) => setError(failure.message),
    );
  useEffect(() => void load(), [executionId, type]);
  const setFilter = (next: Record<string, string>) =>
    navigate(`/artifacts${toQuery({ execution_id: executionId, artifact_type: type, ...next })}`, true);
  const remove = async (artifact: WireArtifact) => {
    if (
      !window.confirm(
        `Delete artifact "${artifact.name}" of execution #${artifact.execution_id}? Its file is removed too.`,
      )
    )
      return;
    try {
      await api(`/api/artifacts/${artifact.id}`, { method: 'DELETE' });
      void load();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <main class="page">
      <h1>Artifacts</h1>
      <form
        class="filters card"
        role="search"
        aria-label="Filter artifacts"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter({ execution_id: idInput.trim() });
        }}
      >
        <div class="field">
          <label for="a-exec">Execution #</label>
          <input
            id="a-exec"
            inputMode="numeric"
            value={idInput}
            onInput={(event) => setIdInput(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="a-type">Type</label>
          <select
            id="a-type"
            value={type}
            onChange={(event) => setFilter({ artifact_type: event.currentTarget.value })}
          >
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div class="field actions">
          <button type="submit" class="primary">
            Apply
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="muted small">
        {list ? `${list.total_count} artifact${list.total_count === 1 ? '' : 's'}` : 'Loading…'}
      </p>
      {list && list.artifacts.length === 0 && <p class="empty">No artifacts match.</p>}
      {list && list.artifacts.length > 0 && (
        <div class="table-wrap">
          <table class="artifacts-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Execution</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.artifacts.map((artifact) => (
                <Row key={artifact.id} artifact={artifact} onDelete={(a) => void remove(a)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
