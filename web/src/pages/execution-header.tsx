// Owns the execution view's header: outcome, command, who/where/when/how long, timeout, what it re-runs, its META and environment names.
import type { ComponentChildren } from 'preact';
import type { WireExecution } from '../../../src/core/wire-types';
import { Link } from '../components/link';
import { MetadataList } from '../components/metadata-list';
import { StatusBadge } from '../components/status-badge';
import { elapsedSeconds, formatCommand, formatDuration } from '../format';
import { formatTime, useTimeZone } from '../time-zone';
import { useNow } from '../use-now';
import { ExecutionActions } from './execution-actions';
import { describeOutcome } from '../components/execution-outcome';

// Ids are strings on the wire ("42"); a run stored by an older server may still say 42.
function rerunOf(execution: WireExecution): string | null {
  const value = execution.metadata.rerun_of;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function useFacts(execution: WireExecution): [string, ComponentChildren][] {
  const now = useNow(execution.status === 'running');
  const zone = useTimeZone();
  const duration = elapsedSeconds(execution.started_at, execution.completed_at, execution.duration_seconds, now);
  const original = rerunOf(execution);
  const time = (iso: string | null) => (iso ? <time dateTime={iso}>{formatTime(iso, zone)}</time> : '—');
  return [
    ['User', execution.user ?? '—'],
    // Where it ran: the server's hostname for local runs (null until it starts).
    ['Host', execution.host ?? '—'],
    ['Created', time(execution.created_at)],
    ['Started', time(execution.started_at)],
    ['Finished', time(execution.completed_at)],
    ['Duration', <span data-testid="duration">{formatDuration(duration)}</span>],
    ['Exit code', execution.exit_code ?? '—'],
    ['Steps', `${execution.completed_steps} / ${execution.total_steps}`],
    ['Timeout', execution.timeout === null ? 'none' : formatDuration(execution.timeout)],
    ...(original === null
      ? []
      : [['Re-run of', <Link href={`/executions/${original}`}>#{original}</Link>] as [string, ComponentChildren]]),
    [
      'Ran on',
      execution.agent === null ? (
        'this server'
      ) : (
        <span>
          agent <strong>{execution.agent}</strong>
          {execution.runs_on.length > 0 ? ` (runs on ${execution.runs_on.join(', ')})` : ''}
        </span>
      ),
    ],
    [
      'Working directory',
      execution.working_directory === '' ? (
        <span class="muted">the agent's work dir</span>
      ) : (
        <code>{execution.working_directory}</code>
      ),
    ],
  ];
}

function Context({ execution }: { execution: WireExecution }) {
  const names = Object.keys(execution.environment);
  const hasMeta = Object.keys(execution.metadata).some((key) => key !== 'rerun_of');
  return (
    <>
      {hasMeta && (
        <div class="env-names">
          <span class="muted small">META</span>
          <MetadataList metadata={execution.metadata} hide={['rerun_of']} label="Metadata" />
        </div>
      )}
      {names.length > 0 && (
        <div class="env-names">
          <span class="muted small">Environment (values hidden)</span>
          {names.map((name) => (
            <code class="tag" key={name} data-env>
              {name}
            </code>
          ))}
        </div>
      )}
    </>
  );
}

/** The header block of /executions/:id. */
export function ExecutionHeader({ execution }: { execution: WireExecution }) {
  const outcome = describeOutcome(execution);
  const facts = useFacts(execution);
  return (
    <header class="execution-header card">
      <div class="page-head">
        <h1>
          <StatusBadge status={outcome.status} label={outcome.label} warn={outcome.warn} />{' '}
          <span class="title">
            #{execution.id} {execution.name}
          </span>
        </h1>
        <ExecutionActions execution={execution} />
      </div>
      <pre class="command" aria-label="Command">
        {formatCommand(execution.command)}
      </pre>
      {execution.tags.length > 0 && (
        <div class="tags">
          {execution.tags.map((tag) => (
            <span class="tag" key={tag}>
              {tag}
            </span>
          ))}
        </div>
      )}
      <dl class="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <Context execution={execution} />
      {execution.error_message && (
        <p class="error" role="alert">
          {execution.error_message}
        </p>
      )}
    </header>
  );
}
