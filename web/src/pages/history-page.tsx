// Owns /history: server-side filters, sorting and pagination, all kept in the URL query.
import { useEffect, useState } from 'preact/hooks';
import { api, toQuery, type ExecutionList } from '../api';
import { ExecutionTable, type Sort, type SortKey } from '../components/execution-table';
import { navigate, useLocation } from '../router';
import { dayBoundary, useTimeZone, type TimeZoneChoice } from '../time-zone';
import { useDocumentTitle } from '../use-document-title';
import { useFeedEvents, useThrottledRefresh } from '../use-feed-events';
import { FILTER_KEYS, HistoryFilters, type Filters } from './history-filters';
import { LogSearchPanel } from './log-search-panel';

const PAGE_SIZES = [25, 50, 100];

// The API sorts by creation for both '#' and 'Created' (ids grow with creation time).
const API_SORT: Record<SortKey, string> = {
  id: 'created_at',
  created_at: 'created_at',
  name: 'name',
  status: 'status',
  user: 'user',
  duration_seconds: 'duration',
};

function apiQuery(query: URLSearchParams, limit: number, offset: number, sort: Sort, zone: TimeZoneChoice): string {
  // "Created from/to" are calendar days in the page's time zone.
  const dayStart = (date: string | null, endOfDay: boolean) => (date ? dayBoundary(date, zone, endOfDay) : undefined);
  return toQuery({
    limit,
    offset,
    status: query.get('status'),
    user: query.get('user'),
    tag: query.get('tag'),
    q: query.get('q'),
    created_after: dayStart(query.get('from'), false),
    created_before: dayStart(query.get('to'), true),
    sort: API_SORT[sort.key],
    order: sort.order,
  });
}

/** The history page. */
export function HistoryPage() {
  const { query } = useLocation();
  const limit = PAGE_SIZES.includes(Number(query.get('limit'))) ? Number(query.get('limit')) : 25;
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const requested = query.get('sort') as SortKey | null;
  const sort: Sort = {
    key: requested && requested in API_SORT ? requested : 'created_at',
    order: query.get('order') === 'asc' ? 'asc' : 'desc',
  };
  const zone = useTimeZone();
  const key = apiQuery(query, limit, offset, sort, zone);
  useDocumentTitle('History — StepFlow');
  const [page, setPage] = useState<ExecutionList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<ExecutionList>(`/api/executions${key}`).then(setPage, (failure: Error) => setError(failure.message));
  useEffect(() => void load(), [key]);
  const refresh = useThrottledRefresh(() => void load(), 1000);
  useFeedEvents((message) => {
    if (
      message.type === 'execution_completed' ||
      message.type === 'execution_deleted' ||
      message.type === 'execution_started'
    )
      refresh();
  });

  const setQuery = (changes: Record<string, string | undefined>, replace = false) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    navigate(`/history${next.size > 0 ? `?${next}` : ''}`, replace);
  };
  const applyFilters = (filters: Filters) =>
    setQuery({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, filters[k]])), offset: undefined });
  const onSort = (column: SortKey) =>
    setQuery(
      { sort: column, order: sort.key === column && sort.order === 'desc' ? 'asc' : 'desc', offset: undefined },
      true,
    );
  const initial = Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ''])) as Filters;
  const total = page?.total_count ?? 0;

  return (
    <main class="page">
      <h1>History</h1>
      <LogSearchPanel
        key={query.get('logs') ?? ''}
        text={query.get('logs') ?? ''}
        regex={query.get('logs_regex') === '1'}
        scope={{
          status: query.get('status') ?? undefined,
          since: query.get('from') ? dayBoundary(query.get('from') as string, zone, false) : undefined,
          until: query.get('to') ? dayBoundary(query.get('to') as string, zone, true) : undefined,
        }}
        onSearch={(text, regex) => setQuery({ logs: text || undefined, logs_regex: text && regex ? '1' : undefined })}
      />
      <HistoryFilters key={FILTER_KEYS.map((k) => query.get(k)).join('|')} initial={initial} onApply={applyFilters} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="muted small" aria-live="polite" data-testid="history-total">
        {page
          ? `${total.toLocaleString()} execution${total === 1 ? '' : 's'} · showing ${total === 0 ? 0 : offset + 1}–${offset + page.executions.length}`
          : 'Loading…'}
        {' · '}filtered and sorted on the server; click a column header to sort
      </p>
      <ExecutionTable
        executions={page?.executions ?? []}
        sort={sort}
        onSort={onSort}
        empty={page ? 'No executions match these filters.' : 'Loading…'}
      />
      <nav class="pager" aria-label="Pagination">
        <button
          type="button"
          disabled={offset === 0}
          onClick={() => setQuery({ offset: String(Math.max(0, offset - limit)) })}
        >
          ← Newer
        </button>
        <span>
          Page {Math.floor(offset / limit) + 1} of {Math.max(1, Math.ceil(total / limit))}
        </span>
        <button type="button" disabled={!page?.has_more} onClick={() => setQuery({ offset: String(offset + limit) })}>
          Older →
        </button>
        <label>
          Per page{' '}
          <select
            value={String(limit)}
            onChange={(event) => setQuery({ limit: event.currentTarget.value, offset: undefined })}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </nav>
    </main>
  );
}
