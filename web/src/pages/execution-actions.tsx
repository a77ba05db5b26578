// Owns the run's actions: Cancel, Re-run (same everything, on the server) and Re-run with edits (a prefilled form).
import { useState } from 'preact/hooks';
import type { WireExecution } from '../../../src/core/wire-types';
import { api } from '../api';
import { isActive } from '../components/status-badge';
import { navigate } from '../router';
import { useCan } from '../session';
import { NewExecutionForm } from './new-execution-form';
import { prefillFromExecution } from './rerun-prefill';

/** The buttons an operator may use on a run; viewers see none. */
export function ExecutionActions({ execution }: { execution: WireExecution }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
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
  const cancel = () =>
    act('cancel', async () => void (await api(`/api/executions/${execution.id}/cancel`, { method: 'POST' })));
  const rerun = () =>
    act('rerun', async () =>
      navigate(
        `/executions/${(await api<{ execution_id: number }>(`/api/executions/${execution.id}/rerun`, { method: 'POST' })).execution_id}`,
      ),
    );
  if (!canOperate) return null;
  return (
    <div class="actions">
      {isActive(execution.status) && (
        <button type="button" class="danger" disabled={busy !== null} onClick={() => void cancel()}>
          {busy === 'cancel' ? 'Cancelling…' : '⊘ Cancel'}
        </button>
      )}
      <button type="button" disabled={busy !== null} onClick={() => void rerun()}>
        {busy === 'rerun' ? 'Starting…' : '↻ Re-run'}
      </button>
      <button type="button" disabled={busy !== null} onClick={() => setEditing(true)}>
        ✎ Re-run with edits
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
      {/* Mounted only while open, so each opening starts from the run's values again. */}
      {editing && <NewExecutionForm open onClose={() => setEditing(false)} prefill={prefillFromExecution(execution)} />}
    </div>
  );
}
