// Owns /agents: every agent the server knows, with its labels, status, executions, version, address and when it was last heard from.
import { useEffect, useState } from 'preact/hooks';
import type { WireAgent } from '../../../src/core/wire-types';
import { api } from '../api';
import { Link } from '../components/link';
import { formatAgo } from '../format';
import { formatTime, useTimeZone } from '../time-zone';
import { useDocumentTitle } from '../use-document-title';

// Agents are not on the live feed; a slow poll keeps status and last seen current without flooding the server.
const REFRESH_MS = 3000;

function Row({ agent }: { agent: WireAgent }) {
  const zone = useTimeZone();
  return (
    <tr data-agent={agent.name}>
      <td>
        <strong>{agent.name}</strong>
      </td>
      <td>
        {agent.labels.length === 0 ? (
          <span class="muted">none</span>
        ) : (
          agent.labels.map((label) => (
            <span key={label} class="tag">
              {label}
            </span>
          ))
        )}
      </td>
      <td>
        <span class={`agent-status agent-${agent.status}`}>{agent.status}</span>
      </td>
      <td>
        {agent.executions.length === 0
          ? '—'
          : agent.executions.map((id) => (
              <Link key={id} href={`/executions/${id}`}>
                #{id}{' '}
              </Link>
            ))}
      </td>
      <td title={formatTime(agent.last_seen, zone)}>{formatAgo(agent.last_seen)}</td>
      <td>{agent.version}</td>
      <td>
        <code>{agent.address}</code>
      </td>
    </tr>
  );
}

/** The agents page. */
export function AgentsPage() {
  const [agents, setAgents] = useState<WireAgent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle('Agents — StepFlow');
  useEffect(() => {
    const load = () =>
      api<WireAgent[]>('/api/agents').then(
        (list) => {
          setAgents(list);
          setError(null);
        },
        (failure: Error) => setError(failure.message),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <main class="page">
      <h1>Agents</h1>
      <p class="muted small">
        Machines that run executions for this server (<code>stepflow agent --server URL --key KEY --labels a,b</code>).
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {agents && agents.length === 0 && <p class="empty">No agent has connected yet.</p>}
      {agents && agents.length > 0 && (
        <div class="table-wrap">
          <table class="agents-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Labels</th>
                <th scope="col">Status</th>
                <th scope="col">Executions</th>
                <th scope="col">Last seen</th>
                <th scope="col">Version</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((agent) => (
                <Row key={agent.name} agent={agent} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
