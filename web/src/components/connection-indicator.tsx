// Owns the live / reconnecting / offline indicator in the header.
import type { FeedState } from '../live-feed';
import { useFeedState } from '../use-feed-events';

const LABELS: Record<FeedState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Shows the state of the live feed, with a text label for screen readers and colour-blind users. */
export function ConnectionIndicator() {
  const state = useFeedState();
  return (
    <span class={`connection connection-${state}`} role="status" aria-live="polite" data-state={state}>
      <span class="dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}
