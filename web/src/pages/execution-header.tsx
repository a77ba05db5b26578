// Owns the execution view's header: status, command, who/when, live duration, exit code, error, and Cancel / Re-run.
import { useState } from 'preact/hooks';
import type { WireExecution } from '../../../src/core/wire-types';
import { api } from '../api';
import { isActive, StatusBadge } from '../components/status-badge';
import { elapsedSeconds, formatCommand, formatDuration, formatTime } from '../format';
import { navigate } from '../router';
import { useCan } from '../session';
import { useNow } from '../use-now';

function Actions({ execution }: { execution: WireExecution }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Viewers do not see buttons the server would refuse with 403.
  const canOperate = useCan('operator');
  const act = async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const cancel = () => act('cancel', async () => void (await api(`/api/executions/${execution.id}/cancel`, { method: 'POST' })));
  const rerun = () => act('rerun', async () => navigate(`/executions/${(await api<{ execution_id: number }>(`/api/executions/${execution.id}/rerun`, { method: 'POST' })).execution_id}`));
  if (!canOperate) return null;
  return (
    <div class="actions">
      {isActive(execution.status) && <button type="button" class="danger" disabled={busy !== null} onClick={() => void cancel()}>{busy === 'cancel' ? 'Cancelling…' : '⊘ Cancel'}</button>}
      <button type="button" disabled={busy !== null} onClick={() => void rerun()}>{busy === 'rerun' ? 'Starting…' : '↻ Re-run'}</button>
      {error && <span class="field-error" role="alert">{error}</span>}
    </div>
  );
}

/** The header block of /executions/:id. */
export function ExecutionHeader({ execution }: { execution: WireExecution }) {
  const now = useNow(execution.status === 'running');
  const duration = elapsedSeconds(execution.started_at, execution.completed_at, execution.duration_seconds, now);
  const facts: [string, preact.ComponentChildren][] = [
    ['User', execution.user ?? '—'],
    ['Created', formatTime(execution.created_at)],
    ['Started', formatTime(execution.started_at)],
    ['Finished', formatTime(execution.completed_at)],
    ['Duration', <span data-testid="duration">{formatDuration(duration)}</span>],
    ['Exit code', execution.exit_code ?? '—'],
    ['Steps', `${execution.completed_steps} / ${execution.total_steps}`],
    ['Working directory', <code>{execution.working_directory}</code>],
  ];
  return (
    <header class="execution-header card">
      <div class="page-head">
        <h1><StatusBadge status={execution.status} /> <span class="title">#{execution.id} {execution.name}</span></h1>
        <Actions execution={execution} />
      </div>
      <pre class="command" aria-label="Command">{formatCommand(execution.command)}</pre>
      {execution.tags.length > 0 && <div class="tags">{execution.tags.map((tag) => <span class="tag" key={tag}>{tag}</span>)}</div>}
      <dl class="facts">
        {facts.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value}</dd></div>)}
      </dl>
      {execution.error_message && <p class="error" role="alert">{execution.error_message}</p>}
    </header>
  );
}
