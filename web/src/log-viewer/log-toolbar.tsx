// Owns the log viewer's controls: search with next/previous and count, jump to line, timestamps, wrap, raw download.
import { useRef, useState } from 'preact/hooks';
import type { LogSearch } from './use-log-search';

/** What the toolbar reads and changes. */
export interface ToolbarProps {
  search: LogSearch;
  onFound: (index: number | null) => void;
  full: boolean;
  total: number;
  timestamps: boolean;
  wrap: boolean;
  onTimestamps: (on: boolean) => void;
  onWrap: (on: boolean) => void;
  onJump: (line: number) => void;
  rawUrl: string;
  searchRef: { current: HTMLInputElement | null };
}

function SearchCount({ search }: { search: LogSearch }) {
  if (search.busy) return <span class="lv-count" aria-live="polite">searching…</span>;
  if (search.error) return <span class="lv-count error" role="alert">{search.error}</span>;
  if (!search.query) return null;
  if (search.total === 0) return <span class="lv-count" aria-live="polite">no matches</span>;
  const shown = search.truncated ? ` (first ${search.offsets.length.toLocaleString()} navigable)` : '';
  return <span class="lv-count" aria-live="polite">{`${(search.position + 1).toLocaleString()} of ${search.total.toLocaleString()}${shown}`}</span>;
}

/** The toolbar above a log. */
export function LogToolbar(props: ToolbarProps) {
  const { search, onFound } = props;
  const [text, setText] = useState('');
  const [jump, setJump] = useState('');
  const lastRun = useRef('');

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

  return (
    <div class="lv-toolbar">
      <form class="lv-search" role="search" onSubmit={(event) => void submit(event)}>
        <input ref={props.searchRef} type="search" placeholder="Search the whole log" aria-label="Search log" value={text} onInput={(event) => setText(event.currentTarget.value)} onKeyDown={onKey} />
        <button type="button" class="icon" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={search.offsets.length === 0} onClick={() => onFound(search.step(-1))}>↑</button>
        <button type="submit" class="icon" aria-label="Next match" title="Next match (Enter)">↓</button>
        <SearchCount search={search} />
      </form>
      {props.full && (
        <form class="lv-jump" onSubmit={(event) => {
          event.preventDefault();
          const line = Number.parseInt(jump, 10);
          if (line > 0) props.onJump(line);
        }}>
          <input type="number" min={1} max={props.total} inputMode="numeric" placeholder="Line #" aria-label="Jump to line" value={jump} onInput={(event) => setJump(event.currentTarget.value)} />
          <button type="submit">Go</button>
        </form>
      )}
      <div class="lv-toggles">
        <label><input type="checkbox" checked={props.timestamps} onChange={(event) => props.onTimestamps(event.currentTarget.checked)} /> Timestamps</label>
        <label><input type="checkbox" checked={props.wrap} onChange={(event) => props.onWrap(event.currentTarget.checked)} /> Wrap</label>
        {props.full && <a class="button" href={props.rawUrl} download>Download raw</a>}
      </div>
    </div>
  );
}
