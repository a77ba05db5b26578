// Owns the hand-rolled HTTP load generator: N keep-alive connections, each sending its next request as soon as the last answered.
import { Agent, request } from 'node:http';

/** One request the load sends; `kind` groups the counts (e.g. "list", "create"). */
export interface LoadRequest {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** What a load produced. */
export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  /** Round-trip time of every successful request, in milliseconds. */
  latenciesMs: number[];
  /** Successful requests completed in each whole second of the run. */
  perSecond: number[];
  byKind: Record<string, number>;
  /** The first few error messages, so a failure names its cause. */
  errorSamples: string[];
}

function send(agent: Agent, base: URL, next: LoadRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = next.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(next.body) };
    const req = request({ agent, host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port, method: next.method, path: next.path, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${next.method} ${next.path}: ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(next.body);
  });
}

/**
 * Runs `connections` request loops for `seconds`. One Node process generates the load, so on a small machine it
 * competes with the server for CPU: the figures are a floor of what the server can do, not its ceiling.
 */
export async function runLoad(baseUrl: string, connections: number, seconds: number, next: () => LoadRequest): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const base = new URL(baseUrl);
  const result: LoadResult = { connections, seconds, requests: 0, errors: 0, latenciesMs: [], perSecond: Array.from({ length: Math.ceil(seconds) }, () => 0), byKind: {}, errorSamples: [] };
  const started = performance.now();
  const end = started + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const item = next();
      const sent = performance.now();
      try {
        await send(agent, base, item);
        const done = performance.now();
        result.latenciesMs.push(done - sent);
        result.byKind[item.kind] = (result.byKind[item.kind] ?? 0) + 1;
        const second = Math.floor((done - started) / 1000);
        if (second < result.perSecond.length) result.perSecond[second]!++;
      } catch (error) {
        result.errors++;
        if (result.errorSamples.length < 5) result.errorSamples.push((error as Error).message);
      }
      result.requests++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return result;
}
