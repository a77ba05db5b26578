// Owns the dashboard page: figures, live active executions, recent executions, charts and the New execution form.
import { useEffect, useState } from 'preact/hooks';
import type { WireExecution } from '../../../src/core/wire-types';
import { api, toQuery, type ExecutionList, type Statistics } from '../api';
import { ExecutionTable } from '../components/execution-table';
import { Link } from '../components/link';
import { useCan } from '../session';
import { useDocumentTitle } from '../use-document-title';
import { useFeedEvents, useThrottledRefresh } from '../use-feed-events';
import { useNow } from '../use-now';
import { ActiveList } from './active-list';
import { CHART_DAYS, ExecutionsChart } from './executions-chart';
import { NewExecutionForm } from './new-execution-form';
import { StatsCards } from './stats-cards';

function useDashboardData() {
  const [stats, setStats] = useState<Statistics | null>(null);
  const [active, setActive] = useState<WireExecution[]>([]);
  const [recent, setRecent] = useState<WireExecution[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    const since = new Date(Date.now() - CHART_DAYS * 86_400_000).toISOString();
    Promise.all([
      api<Statistics>('/api/executions/statistics'),
      api<WireExecution[]>('/api/executions/active'),
      api<ExecutionList>(`/api/executions${toQuery({ limit: 1000, created_after: since })}`),
    ]).then(
      ([s, a, r]) => {
        setStats(s);
        setActive(a);
        setRecent(r.executions);
        setError(null);
      },
      (failure: Error) => setError(failure.message),
    );
  };
  useEffect(load, []);
  const refresh = useThrottledRefresh(load, 400);
  useFeedEvents((message) => {
    if (message.type === 'execution_update') {
      const execution: WireExecution = message.data;
      const live = execution.status === 'running' || execution.status === 'pending';
      setActive((list) => [...list.filter((e) => e.id !== execution.id), ...(live ? [execution] : [])]);
      setRecent((list) =>
        [execution, ...list.filter((e) => e.id !== execution.id)].sort((a, b) => Number(b.id) - Number(a.id)),
      );
    }
    if (
      message.type === 'execution_completed' ||
      message.type === 'execution_deleted' ||
      message.type === 'execution_started'
    )
      refresh();
  });
  return { stats, active, recent, error };
}

/** The landing page. */
export function DashboardPage() {
  const { stats, active, recent, error } = useDashboardData();
  const [formOpen, setFormOpen] = useState(false);
  const now = useNow(active.length > 0);
  const canCreate = useCan('operator');
  useDocumentTitle('Dashboard — StepFlow');
  return (
    <main class="page">
      <div class="page-head">
        <h1>Dashboard</h1>
        {canCreate && (
          <button type="button" class="primary" onClick={() => setFormOpen(true)}>
            + New execution
          </button>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          Could not load the dashboard: {error}
        </p>
      )}
      <section aria-label="Statistics">
        <StatsCards stats={stats} />
      </section>
      <section aria-labelledby="active-title">
        <h2 id="active-title">
          Running and queued <span class="count">{active.length}</span>
        </h2>
        <ActiveList executions={active} now={now} />
      </section>
      <section aria-labelledby="charts-title">
        <h2 id="charts-title">Activity</h2>
        <ExecutionsChart executions={recent} />
      </section>
      <section aria-labelledby="recent-title">
        <div class="section-head">
          <h2 id="recent-title">Recent executions</h2>
          <Link href="/history">View all history →</Link>
        </div>
        <ExecutionTable executions={recent.slice(0, 10)} empty="No executions yet." />
      </section>
      <NewExecutionForm open={formOpen} onClose={() => setFormOpen(false)} />
    </main>
  );
}
