// Owns the table of executions shared by the dashboard and history, with optional sortable headers.
import type { WireExecution } from '../../../src/core/wire-types';
import { formatAgo, formatCommand, formatDuration } from '../format';
import { describeOutcome } from './execution-outcome';
import { formatTime, useTimeZone } from '../time-zone';
import { Link } from './link';
import { StatusBadge } from './status-badge';

/** Columns that can be sorted. */
export type SortKey = 'id' | 'name' | 'status' | 'user' | 'created_at' | 'duration_seconds';

/** Current sort of a table. */
export interface Sort {
  key: SortKey;
  order: 'asc' | 'desc';
}

const COLUMNS: [SortKey, string][] = [
  ['status', 'Status'],
  ['id', '#'],
  ['name', 'Name'],
  ['user', 'User'],
  ['created_at', 'Created'],
  ['duration_seconds', 'Duration'],
];

function Header({ sort, onSort }: { sort?: Sort; onSort?: (key: SortKey) => void }) {
  return (
    <thead>
      <tr>
        {COLUMNS.map(([key, label]) => {
          const active = sort?.key === key;
          const aria = active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none';
          return (
            <th key={key} scope="col" aria-sort={onSort ? aria : undefined} class={`col-${key}`}>
              {onSort ? (
                <button type="button" class="sort" onClick={() => onSort(key)}>
                  {label}
                  {active ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                label
              )}
            </th>
          );
        })}
        <th scope="col" class="col-tags">
          Tags
        </th>
      </tr>
    </thead>
  );
}

/** A run's status; a completed run whose non-critical steps failed reads "Completed with N failed steps", drawn as a warning. */
function StatusCell({ execution }: { execution: WireExecution }) {
  const outcome = describeOutcome(execution);
  return <StatusBadge status={outcome.status} label={outcome.warn ? outcome.label : undefined} warn={outcome.warn} />;
}

/** A table of executions; each row links to its execution view. */
export function ExecutionTable({
  executions,
  sort,
  onSort,
  empty,
}: {
  executions: WireExecution[];
  sort?: Sort;
  onSort?: (key: SortKey) => void;
  empty: string;
}) {
  const zone = useTimeZone();
  if (executions.length === 0) return <p class="empty">{empty}</p>;
  const now = Date.now();
  return (
    <div class="table-wrap">
      <table class="executions">
        <Header sort={sort} onSort={onSort} />
        <tbody>
          {executions.map((execution) => (
            <tr key={execution.id} data-execution-id={execution.id}>
              <td class="col-status">
                <StatusCell execution={execution} />
              </td>
              <td class="col-id">{execution.id}</td>
              <td class="col-name">
                <Link href={`/executions/${execution.id}`}>{execution.name || formatCommand(execution.command)}</Link>
                <AnnotationCounts counts={execution.annotation_counts} />
                <div class="muted mono ellipsis">{formatCommand(execution.command)}</div>
              </td>
              <td class="col-user">{execution.user ?? '—'}</td>
              <td class="col-created" title={formatTime(execution.created_at, zone)}>
                {formatAgo(execution.created_at, now)}
              </td>
              <td class="col-duration">{formatDuration(execution.duration_seconds)}</td>
              <td class="col-tags">
                {execution.tags.map((tag) => (
                  <span class="tag" key={tag}>
                    {tag}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Errors, warnings and notices the run reported, as small badges; nothing when there are none. */
function AnnotationCounts({ counts }: { counts: WireExecution['annotation_counts'] | undefined }) {
  if (counts === undefined) return null;
  const shown = (['error', 'warning', 'notice'] as const).filter((level) => counts[level] > 0);
  if (shown.length === 0) return null;
  return (
    <span class="annotation-counts" aria-label="annotations">
      {shown.map((level) => (
        <span
          key={level}
          class={`badge level-${level}`}
          title={`${counts[level]} ${level}${counts[level] === 1 ? '' : 's'}`}
        >
          {counts[level]} {level}
          {counts[level] === 1 ? '' : 's'}
        </span>
      ))}
    </span>
  );
}
