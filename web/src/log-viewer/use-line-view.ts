// Owns one viewer's lines on screen: a line store read through the API for its selection, drawn by a virtual view, fed live lines.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WireLogLine, WireLogPage } from '../../../src/core/wire-types';
import { fetchLogPage } from '../api';
import { LineStore } from './line-store';
import type { LiveSource } from './live-source';
import { VirtualView, type ViewOptions } from './virtual-view';

/** Which lines a viewer holds; changing any of them reloads the viewer. */
export interface Selection {
  executionId: number;
  /** A step id, `none` for output outside steps, or undefined for the whole log. */
  stepId: string | undefined;
  /** Only this stream's lines (the API's `stream` filter), or every line. */
  stream: WireLogLine['stream'] | undefined;
  live: LiveSource | null;
  /** The unfiltered first page, fetched by the page alongside the execution (used only for logs that are not live). */
  firstPage: Promise<WireLogPage> | undefined;
}

/** The viewer's state and the objects its controls act on. */
export interface LineView {
  total: number | null;
  following: boolean;
  error: string | null;
  view: { current: VirtualView | null };
  store: { current: LineStore | null };
}

function selects(selection: Selection, line: WireLogLine): boolean {
  const { stepId, stream } = selection;
  if (stream !== undefined && line.stream !== stream) return false;
  return stepId === undefined || (stepId === 'none' ? line.step_id === null : line.step_id === stepId);
}

/** Appends the selection's live lines; those arriving before the store has opened wait, so none is lost or doubled. */
function followLive(store: LineStore, selection: Selection): { opened: () => void; stop: () => void } {
  const waiting: WireLogLine[][] = [];
  let open = false;
  const stop = selection.live?.listen((lines) => {
    const mine = lines.filter((line) => selects(selection, line));
    if (mine.length === 0) return;
    if (open) store.append(mine);
    else waiting.push(mine);
  });
  return {
    opened: () => {
      open = true;
      for (const lines of waiting.splice(0)) store.append(lines);
    },
    stop: () => stop?.(),
  };
}

/** Waits for the live snapshot (so no line falls between the read and the feed), then loads the first chunk. */
async function openStore(store: LineStore, selection: Selection): Promise<void> {
  const { live, firstPage, stream } = selection;
  await live?.ready;
  const first =
    live || !firstPage || stream
      ? undefined
      : firstPage.then((page) => ({ lines: page.lines, total: page.total_lines }));
  await store.open(live !== null, first);
}

/** Creates the store and view in `host` for `selection`, and redraws when `options` change. */
export function useLineView(
  host: RefObject<HTMLDivElement | null>,
  selection: Selection,
  options: ViewOptions,
): LineView {
  const view = useRef<VirtualView | null>(null);
  const store = useRef<LineStore | null>(null);
  const latestOptions = useRef(options);
  latestOptions.current = options;
  const [total, setTotal] = useState<number | null>(null);
  const [following, setFollowing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { executionId, stepId, stream, live } = selection;

  useEffect(() => {
    if (!host.current) return undefined;
    let cancelled = false;
    setTotal(null);
    setError(null);
    const lines = new LineStore(
      (offset, limit) =>
        fetchLogPage(executionId, offset, limit, stepId, stream).then((page) => ({
          lines: page.lines,
          total: page.total_lines,
        })),
      () => {
        if (cancelled) return;
        setTotal(lines.total);
        drawn.schedule();
      },
      (failure) => setError(failure.message),
    );
    // Folds and hidden closing markers need row index = line number − 1: the full log, every stream.
    const drawn = new VirtualView(host.current, lines, setFollowing, stepId === undefined && stream === undefined);
    drawn.setOptions(latestOptions.current);
    [store.current, view.current] = [lines, drawn];
    const feed = followLive(lines, selection);
    void openStore(lines, selection).then(
      () => {
        if (cancelled) return;
        feed.opened();
        if (live) drawn.setFollowing(true);
      },
      (failure: Error) => setError(failure.message),
    );
    return () => {
      cancelled = true;
      feed.stop();
      drawn.destroy();
    };
  }, [executionId, stepId, stream, live]);

  useEffect(
    () => view.current?.setOptions(options),
    [options.query, options.currentIndex, options.selectedLine, options.timeZone, options.headers],
  );
  return { total, following, error, view, store };
}
