// Owns the log viewer component: wires the line store, the virtual view, search, live lines and #L permalinks together.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WireLogPage } from '../../../src/core/wire-types';
import { fetchLogPage } from '../api';
import { LineStore } from './line-store';
import type { LiveSource } from './live-source';
import { LogToolbar } from './log-toolbar';
import { useLogSearch } from './use-log-search';
import { VirtualView } from './virtual-view';

/** Which lines to show and how. */
export interface LogViewerProps {
  executionId: number;
  /** A step id, `none` for output outside steps, or undefined for the whole log. */
  stepId?: string;
  live: LiveSource | null;
  /** The page's main viewer: jump to line, raw download, Ctrl+F and #L permalinks. */
  full?: boolean;
  /** Line number from the URL hash (full viewer only). */
  selectedLine?: number | null;
  label: string;
  /** The first page, when the page fetched it in parallel with the execution (used only for logs that are not live). */
  firstPage?: Promise<WireLogPage> | undefined;
}

function usePreference(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => (localStorage.getItem(key) ?? String(initial)) === 'true');
  return [value, (next) => {
    localStorage.setItem(key, String(next));
    setValue(next);
  }];
}

/** Virtualized, searchable log of one execution (or one step of it). */
export function LogViewer(props: LogViewerProps) {
  const { executionId, stepId, live, full = false, selectedLine = null, firstPage } = props;
  const host = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const viewRef = useRef<VirtualView | null>(null);
  const storeRef = useRef<LineStore | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [following, setFollowing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [timestamps, setTimestamps] = usePreference('stepflow.timestamps', false);
  const [wrap, setWrap] = usePreference('stepflow.wrap', false);
  const search = useLogSearch(executionId, stepId);
  const [currentIndex, setCurrentIndex] = useState<number | null>(null);

  useEffect(() => {
    if (!host.current) return undefined;
    let cancelled = false;
    const read = async (offset: number, limit: number) => {
      const page = await fetchLogPage(executionId, offset, limit, stepId);
      return { lines: page.lines, total: page.total_lines };
    };
    const store = new LineStore(read, () => {
      if (cancelled) return;
      setTotal(store.total);
      view.schedule();
    }, (failure) => setError(failure.message));
    const view = new VirtualView(host.current, store, setFollowing);
    storeRef.current = store;
    viewRef.current = view;
    const buffered: Parameters<LineStore['append']>[0][] = [];
    let opened = false;
    const matches = (stepOf: string | null) => stepId === undefined || (stepId === 'none' ? stepOf === null : stepOf === stepId);
    const stopListening = live?.listen((lines) => {
      const mine = stepId === undefined ? lines : lines.filter((line) => matches(line.step_id));
      if (mine.length === 0) return;
      if (opened) store.append(mine);
      else buffered.push(mine);
    });
    void (async () => {
      await live?.ready;
      await store.open(live !== null, live || !firstPage ? undefined : firstPage.then((page) => ({ lines: page.lines, total: page.total_lines }))).catch((failure: Error) => setError(failure.message));
      if (cancelled) return;
      opened = true;
      for (const lines of buffered) store.append(lines);
      if (live) view.setFollowing(true);
    })();
    return () => {
      cancelled = true;
      stopListening?.();
      view.destroy();
    };
  }, [executionId, stepId, live]);

  useEffect(() => {
    viewRef.current?.setOptions({ query: search.query, currentIndex, selectedLine });
  }, [search.query, currentIndex, selectedLine]);

  // A permalink (#L1234) scrolls the full log to that line once its size is known.
  useEffect(() => {
    if (!full || selectedLine === null || total === null) return;
    viewRef.current?.scrollToIndex(Math.min(selectedLine, total) - 1);
  }, [full, selectedLine, total !== null]);

  useEffect(() => {
    if (!full) return undefined;
    const onKey = (event: KeyboardEvent) => {
      // First Ctrl+F searches the whole log (the browser's find sees only rendered rows); a second one is the browser's own.
      if ((event.ctrlKey || event.metaKey) && event.key === 'f' && document.activeElement !== searchRef.current) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [full]);

  const onFound = (index: number | null) => {
    setCurrentIndex(index);
    if (index !== null) viewRef.current?.scrollToIndex(index);
  };
  const onJump = (line: number) => {
    history.replaceState(null, '', `#L${line}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    viewRef.current?.scrollToIndex(Math.min(line, storeRef.current?.total ?? line) - 1);
  };
  const jumpToEnd = () => {
    const view = viewRef.current;
    if (!view) return;
    view.setFollowing(true);
    view.scrollToIndex(Math.max(0, (storeRef.current?.total ?? 1) - 1));
    if (live) view.setFollowing(true);
  };

  const classes = `log-viewer${full ? ' full' : ''}${timestamps ? ' show-ts' : ''}${wrap ? ' wrap' : ''}`;
  return (
    <section class={classes} aria-label={props.label}>
      <LogToolbar search={search} onFound={onFound} full={full} total={total ?? 0} timestamps={timestamps} wrap={wrap}
        onTimestamps={setTimestamps} onWrap={setWrap} onJump={onJump} rawUrl={`/api/executions/${executionId}/logs/raw`} searchRef={searchRef} />
      {error && <p class="error" role="alert">Could not load the log: {error}</p>}
      {/* Short logs get a short box; long ones scroll inside a capped height. */}
      <div class="lv-host" ref={host} data-total={total ?? ''} style={{ height: `min(${full ? '70vh' : '400px'}, ${Math.max(3, total ?? 3) * 20 + 14}px)` }} />
      <div class="lv-status">
        <span>{total === null ? 'Loading…' : total === 0 ? 'No output' : `${total.toLocaleString()} lines`}</span>
        {!following && total !== null && total > 20 && <button type="button" class="link" onClick={jumpToEnd}>Jump to end ↓</button>}
      </div>
    </section>
  );
}
