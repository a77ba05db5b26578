// Owns telling the reader of a running execution that live updates have stopped: one notice for the whole outage.
import { useFeedState } from '../use-feed-events';

/** Shown while the feed is down; the feed resumes from the last line it had, so the notice can promise nothing is lost. */
export function FeedLostNotice() {
  const state = useFeedState();
  if (state !== 'reconnecting' && state !== 'offline') return null;
  const cause = state === 'offline' ? 'This browser is offline' : 'The live connection to StepFlow was lost';
  return (
    <p class="notice feed-lost" role="status">
      {cause}; retrying. Steps and lines catch up from where they stopped once it is back.
    </p>
  );
}
