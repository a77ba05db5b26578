// Owns an execution page's data: the detail from REST, kept live by the execution's subscription and broadcast events.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { WireArtifact, WireExecution, WireStep } from '../../../src/core/wire-types';
import { messageExecutionId } from '../../../src/core/ws-messages';
import { api, type ExecutionDetail } from '../api';
import { subscribeExecution } from '../live-feed';
import { createLiveSource, type LiveSource } from '../log-viewer/live-source';
import { useFeedEvents } from '../use-feed-events';

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const next = list.some((x) => x.id === item.id) ? list.map((x) => (x.id === item.id ? item : x)) : [...list, item];
  return next;
}

/** The execution, its steps and artifacts, a live line source while it runs, and a reload function. */
export function useExecution(id: number): {
  detail: ExecutionDetail | null;
  error: string | null;
  live: LiveSource | null;
  reload: () => void;
} {
  const [detail, setDetail] = useState<ExecutionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveSource | null>(null);
  const reload = useMemo(
    () => () => {
      api<ExecutionDetail>(`/api/executions/${id}`).then(
        (data) => {
          setDetail(data);
          setError(null);
        },
        (failure: Error) => setError(failure.message),
      );
    },
    [id],
  );

  useEffect(() => {
    let stop: (() => void) | undefined;
    api<ExecutionDetail>(`/api/executions/${id}`).then(
      (data) => {
        setDetail(data);
        if (data.execution.status !== 'pending' && data.execution.status !== 'running') return;
        // Subscribe without from_line: the snapshot's last_line splits stored lines (read by REST) from live ones.
        const source = createLiveSource();
        stop = subscribeExecution(id, null, {
          onSnapshot: (execution, steps) => {
            setDetail((d) => (d ? { ...d, execution, steps } : d));
            source.resolve();
          },
          onLines: (lines) => source.push(lines),
          onStep: (step: WireStep) =>
            setDetail((d) => (d ? { ...d, steps: upsert(d.steps, step).sort((a, b) => a.index - b.index) } : d)),
          onArtifact: (artifact: WireArtifact) =>
            setDetail((d) => (d ? { ...d, artifacts: upsert(d.artifacts, artifact) } : d)),
        });
        setLive(source);
      },
      (failure: Error) => setError(failure.message),
    );
    return () => stop?.();
  }, [id]);

  useFeedEvents((message) => {
    if (messageExecutionId(message) !== String(id)) return;
    if (message.type === 'execution_update') {
      const execution: WireExecution = message.data;
      setDetail((d) => (d ? { ...d, execution } : d));
    } else if (message.type === 'execution_completed') reload();
    else if (message.type === 'execution_deleted') setError(`execution ${id} was deleted`);
  });
  return { detail, error, live, reload };
}
