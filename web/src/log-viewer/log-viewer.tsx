// Owns the log viewer component: toolbar, virtualized lines, search, the stderr filter and #L permalinks, wired together.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WireLogPage, WireStep } from '../../../src/core/wire-types';
import { formatCount, formatDuration } from '../format';
import { useTimeZone, zoneName } from '../time-zone';
import type { LiveSource } from './live-source';
import { LogToolbar } from './log-toolbar';
import { useLineView, type LineView } from './use-line-view';
import type { StepHeader } from './virtual-view';
import { useLogSearch } from './use-log-search';

/** Which lines to show and how. */
export interface LogViewerProps {
  executionId: number;
  /** A step id, `none` for output outside steps, or undefined for the whole log. */
  stepId?: string;
  live: LiveSource | null;
  /** The page's main viewer: jump to line, Ctrl+F and #L permalinks. */
  full?: boolean;
  /** Line number from the URL hash (full viewer only). */
  selectedLine?: number | null;
  label: string;
  /** The file name "Download raw" saves as, e.g. `execution-42.log`. */
  downloadName: string;
  /** The first page, when the page fetched it in parallel with the execution (used only for logs that are not live). */
  firstPage?: Promise<WireLogPage> | undefined;
  /** The execution's steps: their marker lines are drawn as header rows (full log). */
  steps?: readonly WireStep[] | undefined;
}

function usePreference(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => (localStorage.getItem(key) ?? String(initial)) === 'true');
  return [
    value,
    (next) => {
      localStorage.setItem(key, String(next));
      setValue(next);
    },
  ];
}

function rawUrl(executionId: number, stepId: string | undefined): string {
  return `/api/executions/${executionId}/logs/raw${stepId === undefined ? '' : `?step_id=${stepId}`}`;
}

function LogStatus({
  lines,
  stderrOnly,
  onJumpToEnd,
}: {
  lines: LineView;
  stderrOnly: boolean;
  onJumpToEnd: () => void;
}) {
  const { total, following } = lines;
  const where = stderrOnly ? ' on stderr' : '';
  return (
    <div class="lv-status">
      <span>
        {total === null ? 'Loading…' : total === 0 ? `No output${where}` : `${formatCount(total, 'line')}${where}`}
      </span>
      {!following && total !== null && total > 20 && (
        <button type="button" class="link" onClick={onJumpToEnd}>
          Jump to end ↓
        </button>
      )}
    </div>
  );
}

/** Follows the #L permalink: scrolls the full log to that line once its size is known (showing every stream, since line numbers count them all). */
function usePermalink(
  lines: LineView,
  selectedLine: number | null,
  active: boolean,
  stderrOnly: boolean,
  showAll: () => void,
): void {
  useEffect(() => {
    if (active && selectedLine !== null && stderrOnly) showAll();
  }, [selectedLine]);
  useEffect(() => {
    if (!active || selectedLine === null || lines.total === null || stderrOnly) return;
    lines.view.current?.scrollToIndex(Math.min(selectedLine, lines.total) - 1);
  }, [active, selectedLine, lines.total !== null, stderrOnly]);
}

/** Header rows: every step's opening line shows its name, status and duration instead of marker syntax, and folds. */
function stepHeaders(steps: readonly WireStep[]): StepHeader[] {
  const headers: StepHeader[] = [];
  for (const step of steps) {
    if (step.first_line === null) continue;
    headers.push({
      id: step.id,
      name: step.name,
      status: step.status,
      depth: step.depth,
      duration: step.duration_seconds === null ? '' : formatDuration(step.duration_seconds),
      first: step.first_line,
      last: step.last_line ?? step.first_line,
      // Older servers send no close_line: their closing markers stay visible.
      close: step.close_line ?? null,
      collapsed: step.collapsed,
    });
  }
  return headers;
}

/** Virtualized, searchable log of one execution (or one step of it). */
export function LogViewer(props: LogViewerProps) {
  const { executionId, stepId, live, full = false, selectedLine = null } = props;
  const host = useRef<HTMLDivElement>(null);
  const [timestamps, setTimestamps] = usePreference('stepflow.timestamps', false);
  const [wrap, setWrap] = usePreference('stepflow.wrap', false);
  const [stderrOnly, setStderrOnly] = useState(false);
  const [currentIndex, setCurrentIndex] = useState<number | null>(null);
  const zone = useTimeZone();
  const search = useLogSearch(executionId, stepId, stderrOnly ? 'stderr' : undefined);
  const headers = useMemo(() => stepHeaders(props.steps ?? []), [props.steps]);
  const lines = useLineView(
    host,
    { executionId, stepId, stream: stderrOnly ? 'stderr' : undefined, live, firstPage: props.firstPage },
    { query: search.query, currentIndex, selectedLine, timeZone: zone, headers },
  );
  const filter = (on: boolean) => {
    search.clear();
    setCurrentIndex(null);
    setStderrOnly(on);
  };
  usePermalink(lines, selectedLine, full, stderrOnly, () => filter(false));

  const onFound = (index: number | null) => {
    setCurrentIndex(index);
    if (index !== null) lines.view.current?.scrollToIndex(index);
  };
  const onJump = (line: number) => {
    history.replaceState(null, '', `#L${line}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    lines.view.current?.scrollToIndex(Math.min(line, lines.store.current?.total ?? line) - 1);
  };
  const jumpToEnd = () => {
    lines.view.current?.scrollToIndex(Math.max(0, (lines.store.current?.total ?? 1) - 1));
    if (live) lines.view.current?.setFollowing(true);
  };

  const classes = `log-viewer${full ? ' full' : ''}${timestamps ? ' show-ts' : ''}${wrap ? ' wrap' : ''}`;
  const total = lines.total;
  return (
    <section class={classes} aria-label={props.label}>
      <LogToolbar
        search={search}
        onFound={onFound}
        full={full}
        total={total ?? 0}
        timestamps={timestamps}
        zone={zoneName(zone)}
        wrap={wrap}
        stderrOnly={stderrOnly}
        onTimestamps={setTimestamps}
        onWrap={setWrap}
        onStderrOnly={filter}
        onJump={onJump}
        rawUrl={rawUrl(executionId, stepId)}
        downloadName={props.downloadName}
      />
      {lines.error && (
        <p class="error" role="alert">
          Could not load the log: {lines.error}
        </p>
      )}
      {/* Short logs get a short box (sized by the rows drawn, see VirtualView); long ones scroll inside a capped height. */}
      <div
        class="lv-host"
        ref={host}
        data-total={total ?? ''}
        style={{
          height: `min(${full ? '70vh' : '400px'}, calc(max(3, var(--lv-rows, ${total ?? 3})) * 20px + 14px))`,
        }}
      />
      <LogStatus lines={lines} stderrOnly={stderrOnly} onJumpToEnd={jumpToEnd} />
    </section>
  );
}
