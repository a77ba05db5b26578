// A load worker process (forked by run-load.ts): drives the share of connections it is sent and reports its counts back.
import { driveConnections, type LoadShare } from './drive-connections.js';

function report(message: object): void {
  process.send?.(message, () => process.exit(0));
}

// The parent going away ends the worker, so a load never outlives the benchmark that started it.
process.once('disconnect', () => process.exit(1));
process.once('message', (share: LoadShare) => {
  driveConnections(share).then(
    (result) => report({ kind: 'result', result }),
    (error: unknown) => report({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
process.send?.({ kind: 'ready' });
