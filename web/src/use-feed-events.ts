// Owns reacting to the live feed from a component: execution-level events (sent to every client) and the connection's state.
import { useEffect, useRef, useState } from 'preact/hooks';
import { onFeedMessage, onFeedState, type FeedMessage, type FeedState } from './live-feed';

/** Calls `handler` for every live message while the component is mounted (always the latest handler). */
export function useFeedEvents(handler: (message: FeedMessage) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => onFeedMessage((message) => latest.current(message)), []);
}

/** Runs `refresh` at most once per `ms` after relevant live events (a burst of completions refetches once). */
export function useThrottledRefresh(refresh: () => void, ms = 500): () => void {
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return () => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  };
}

/** The feed's connection state, re-rendering the caller when it changes. */
export function useFeedState(): FeedState {
  const [state, setState] = useState<FeedState>('connecting');
  useEffect(() => onFeedState(setState), []);
  return state;
}
