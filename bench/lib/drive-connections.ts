// Owns one share of a load inside one process: N undici connections, each sending its next request as soon as the last answered.
import { Client, type Dispatcher } from 'undici';
import type { LoadRequest, LoadResult } from './run-load.js';

/** One process's part of a load; plain data, so it can be sent to a worker process. */
export interface LoadShare {
  baseUrl: string;
  connections: number;
  seconds: number;
  /** The requests the connections of this share take in turn, cycling. */
  requests: readonly LoadRequest[];
  /** Index in `requests` this share starts at, so the shares of one load do not all send the same request at once. */
  firstRequest: number;
  /** When the load starts on the shared clock (see `sharedNow`), so every share counts the same whole seconds. */
  startAtMs: number;
}

/** No request waits longer than this for its answer: a load is bounded in time even against a server that hangs. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Error messages kept per load, so a failure names its cause without carrying thousands of copies. */
export const MAX_ERROR_SAMPLES = 5;

/** Milliseconds on a clock that processes on one machine share (performance.now is per process). */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Sends one request; resolves to null when it succeeded (2xx) or to the reason it did not. The legacy handler API is undici 7's native one. */
function send(client: Client, item: LoadRequest): Promise<string | null> {
  const options: Dispatcher.DispatchOptions =
    item.body === undefined
      ? { method: item.method, path: item.path }
      : { method: item.method, path: item.path, headers: { 'content-type': 'application/json' }, body: item.body };
  return new Promise((resolve) => {
    let status = 0;
    client.dispatch(options, {
      onConnect: () => {},
      onHeaders: (statusCode) => ((status = statusCode), true),
      onData: () => true,
      onComplete: () => resolve(status >= 200 && status < 300 ? null : `${item.method} ${item.path}: ${status}`),
      onError: (error) => resolve(`${item.method} ${item.path}: ${error.message}`),
    });
  });
}

/** A result with nothing counted yet, one zero per whole second of the load. */
export function emptyLoadResult(connections: number, seconds: number): LoadResult {
  const perSecond = Array.from({ length: Math.ceil(seconds) }, () => 0);
  return { connections, seconds, requests: 0, errors: 0, latenciesMs: [], perSecond, byKind: {}, errorSamples: [] };
}

/** Runs this share's connections from `startAtMs` for `seconds`; each connection has at most one request in flight. */
export async function driveConnections(share: LoadShare): Promise<LoadResult> {
  const result = emptyLoadResult(share.connections, share.seconds);
  const clients = Array.from(
    { length: share.connections },
    () =>
      new Client(share.baseUrl, { pipelining: 1, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS }),
  );
  await new Promise((wait) => setTimeout(wait, Math.max(0, share.startAtMs - sharedNow())));
  const end = share.startAtMs + share.seconds * 1000;
  let turn = share.firstRequest;
  const loop = async (client: Client): Promise<void> => {
    while (sharedNow() < end) {
      const item = share.requests[turn++ % share.requests.length]!;
      const sent = sharedNow();
      const failure = await send(client, item);
      const done = sharedNow();
      result.requests++;
      if (failure !== null) {
        result.errors++;
        if (result.errorSamples.length < MAX_ERROR_SAMPLES) result.errorSamples.push(failure);
        continue;
      }
      result.latenciesMs.push(done - sent);
      result.byKind[item.kind] = (result.byKind[item.kind] ?? 0) + 1;
      const second = Math.floor((done - share.startAtMs) / 1000);
      if (second < result.perSecond.length) result.perSecond[second]!++;
    }
  };
  try {
    await Promise.all(clients.map(loop));
  } finally {
    await Promise.all(clients.map((client) => client.destroy()));
  }
  return result;
}
