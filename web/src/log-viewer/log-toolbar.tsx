// Owns the log viewer's controls: search with next/previous and count, jump to line, timestamps, wrap, stderr only, raw download.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogSearch } from './use-log-search';

/** What the toolbar reads and changes. */
export interface ToolbarProps {
  search: LogSearch;
  onFound: (index: number | null) => void;
  full: boolean;
  total: number;
  timestamps: boolean;
  /** Short name of the zone timestamps are shown in ("UTC", "EST"). */
  zone: string;
  wrap: boolean;
  stderrOnly: boolean;
  onTimestamps: (on: boolean) => void;
  onWrap: (on: boolean) => void;
  onStderrOnly: (on: boolean) => void;
  onJump: (line: number) => void;
  rawUrl: string;
  downloadName: string;
}

function SearchCount({ search }: { search: LogSearch }) {
  if (search.busy)
    return (
      <span class="lv-count" aria-live="polite">
        searching…
      </span>
    );
  if (search.error)
    return (
      <span class="lv-count error" role="alert">
        {search.error}
      </span>
    );
  if (!search.query) return null;
  if (search.total === 0)
    return (
      <span class="lv-count" aria-live="polite">
        no matches
      </span>
    );
  const shown = search.truncated ? ` (first ${search.offsets.length.toLocaleString()} navigable)` : '';
  return (
    <span
      class="lv-count"
      aria-live="polite"
    >{`${(search.position + 1).toLocaleString()} of ${search.total.toLocaleString()}${shown}`}</span>
  );
}

/** First Ctrl+F searches the whole log (the browser's find sees only rendered rows); a second one is the browser's own. */
function useFindShortcut(active: boolean, input: { current: HTMLInputElement | null }): void {
  useEffect(() => {
    if (!active) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (
        (event.ctrlKey || event.metaKey) &&
        event.key === 'f' &&
        document.activeElement !== input.current &&
        !input.current?.disabled
      ) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

function SearchForm({
  search,
  onFound,
  full,
  stderrOnly,
}: Pick<ToolbarProps, 'search' | 'onFound' | 'full' | 'stderrOnly'>) {
  const [text, setText] = useState('');
  const lastRun = useRef('');
  const input = useRef<HTMLInputElement>(null);
  useFindShortcut(full, input);
  const submit = async (event: Event, backwards = false) => {
    event.preventDefault();
    if (text !== lastRun.current || !search.query) {
      lastRun.current = text;
      onFound(await search.run(text));
    } else onFound(search.step(backwards ? -1 : 1));
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.shiftKey) void submit(event, true);
    if (event.key === 'Escape') {
      setText('');
      lastRun.current = '';
      search.clear();
      onFound(null);
    }
  };
  // The server searches the same stream the viewer shows, so match positions are positions in this view.
  const placeholder = stderrOnly ? 'Search stderr' : 'Search the whole log';
  return (
    <form class="lv-search" role="search" onSubmit={(event) => void submit(event)}>
      <input
        ref={input}
        type="search"
        placeholder={placeholder}
        aria-label="Search log"
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKey}
      />
      <button
        type="button"
        class="icon"
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
        disabled={search.offsets.length === 0}
        onClick={() => onFound(search.step(-1))}
      >
        ↑
      </button>
      <button type="submit" class="icon" aria-label="Next match" title="Next match (Enter)">
        ↓
      </button>
      <SearchCount search={search} />
    </form>
  );
}

function JumpForm({ total, onJump }: Pick<ToolbarProps, 'total' | 'onJump'>) {
  const [jump, setJump] = useState('');
  return (
    <form
      class="lv-jump"
      onSubmit={(event) => {
        event.preventDefault();
        const line = Number.parseInt(jump, 10);
        if (line > 0) onJump(line);
      }}
    >
      <input
        type="number"
        min={1}
        max={total}
        inputMode="numeric"
        placeholder="Line #"
        aria-label="Jump to line"
        value={jump}
        onInput={(event) => setJump(event.currentTarget.value)}
      />
      <button type="submit">Go</button>
    </form>
  );
}

/** The toolbar above a log. */
export function LogToolbar(props: ToolbarProps) {
  return (
    <div class="lv-toolbar">
      <SearchForm search={props.search} onFound={props.onFound} full={props.full} stderrOnly={props.stderrOnly} />
      {/* Line numbers count every stream, so jumping needs the unfiltered log. */}
      {props.full && !props.stderrOnly && <JumpForm total={props.total} onJump={props.onJump} />}
      <div class="lv-toggles">
        <label>
          <input
            type="checkbox"
            checked={props.timestamps}
            onChange={(event) => props.onTimestamps(event.currentTarget.checked)}
          />{' '}
          Timestamps ({props.zone})
        </label>
        <label>
          <input type="checkbox" checked={props.wrap} onChange={(event) => props.onWrap(event.currentTarget.checked)} />{' '}
          Wrap
        </label>
        <label title="Show only what the script wrote to stderr">
          <input
            type="checkbox"
            checked={props.stderrOnly}
            onChange={(event) => props.onStderrOnly(event.currentTarget.checked)}
          />{' '}
          stderr only
        </label>
        <a class="button" href={props.rawUrl} download={props.downloadName}>
          Download raw
        </a>
      </div>
    </div>
  );
}
