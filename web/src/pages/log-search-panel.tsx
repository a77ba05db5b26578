// Owns the History page's search in every stored log: a box, then hits grouped by execution, each line linking to #L<n>.
import { useEffect, useState } from 'preact/hooks';
import type { WireLogLine, WireSearchPage } from '../../../src/core/wire-types';
import { api, toQuery } from '../api';
import { Link } from '../components/link';
import { StatusBadge } from '../components/status-badge';

/** What narrows the search besides its text: the History page's applied status and creation range. */
export interface LogSearchScope {
  status?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

// Colour escapes are not visible text; the dashboard may import only wire types from src/, so this is its own copy.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

function ContextLine({ executionId, line, match }: { executionId: string; line: WireLogLine; match: boolean }) {
  return (
    <li class={match ? 'search-line match' : 'search-line'}>
      <Link href={`/executions/${executionId}#L${line.line}`}>{line.line}</Link>
      <code>{line.content.replace(ESCAPES, '')}</code>
    </li>
  );
}

/** Hits of one execution: heading, count, then each match with its context. */
function SearchHit({ hit }: { hit: WireSearchPage['executions'][number] }) {
  const id = hit.execution.id;
  return (
    <section class="search-hit card" data-testid="search-hit">
      <h3>
        <Link href={`/executions/${id}`}>
          #{id} {hit.execution.name}
        </Link>{' '}
        <StatusBadge status={hit.execution.status} />
        <span class="muted small">
          {' '}
          {hit.match_count}
          {hit.more_matches ? '+' : ''} matching line{hit.match_count === 1 ? '' : 's'}
        </span>
      </h3>
      {hit.matches.map((m) => (
        <ol
          class="search-lines"
          key={m.line.line}
          aria-label={`line ${m.line.line}${m.step_name ? ` in step ${m.step_name}` : ''}`}
        >
          {m.before.map((l) => (
            <ContextLine key={l.line} executionId={id} line={l} match={false} />
          ))}
          <ContextLine executionId={id} line={m.line} match />
          {m.after.map((l) => (
            <ContextLine key={l.line} executionId={id} line={l} match={false} />
          ))}
        </ol>
      ))}
    </section>
  );
}

/** The search box and its results; `text` and `regex` come from (and go to) the URL so a search is a shareable link. */
export function LogSearchPanel({
  text,
  regex,
  scope,
  onSearch,
}: {
  text: string;
  regex: boolean;
  scope: LogSearchScope;
  onSearch: (text: string, regex: boolean) => void;
}) {
  const [draft, setDraft] = useState(text);
  const [draftRegex, setDraftRegex] = useState(regex);
  const [pages, setPages] = useState<WireSearchPage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = (cursor?: string) =>
    `/api/search${toQuery({ q: text, regex: regex ? 'true' : undefined, ...scope, cursor })}`;
  const run = (cursor?: string) => {
    setBusy(true);
    setError(null);
    api<WireSearchPage>(query(cursor))
      .then(
        (page) => setPages((before) => (cursor ? [...before, page] : [page])),
        (failure: Error) => setError(failure.message),
      )
      .finally(() => setBusy(false));
  };
  useEffect(() => {
    setPages([]);
    if (text) run();
  }, [query()]);
  const last = pages.at(-1);
  const hits = pages.flatMap((page) => page.executions);
  return (
    <div class="log-search">
      <form
        class="filters card"
        role="search"
        aria-label="Search in every log"
        onSubmit={(event) => {
          event.preventDefault();
          onSearch(draft.trim(), draftRegex);
        }}
      >
        <div class="field grow">
          <label for="log-search">Search all logs</label>
          <input
            id="log-search"
            type="search"
            placeholder="e.g. ECONNRESET"
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label>
            <input
              type="checkbox"
              checked={draftRegex}
              onChange={(event) => setDraftRegex(event.currentTarget.checked)}
            />{' '}
            Regular expression
          </label>
        </div>
        <div class="field actions">
          <button type="submit" class="primary">
            Search logs
          </button>
          {text && (
            <button type="button" onClick={() => onSearch('', false)}>
              Clear
            </button>
          )}
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {text && (
        <div aria-live="polite" data-testid="log-search-results">
          <p class="muted small">
            {busy && hits.length === 0
              ? 'Searching…'
              : `${hits.length} execution${hits.length === 1 ? '' : 's'} with matching lines`}
            {last?.partial ? ' · the search ran out of time, results may be incomplete' : ''}
          </p>
          {hits.map((hit) => (
            <SearchHit key={hit.execution.id} hit={hit} />
          ))}
          {last?.next_cursor && (
            <button type="button" disabled={busy} onClick={() => run(last.next_cursor ?? undefined)}>
              Older matches →
            </button>
          )}
        </div>
      )}
    </div>
  );
}
