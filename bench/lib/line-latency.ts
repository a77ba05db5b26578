// Scenario 10's latency probes: each line carries its print time; a WebSocket subscriber and a poller of the stored log time it.
import WebSocket from 'ws';
import { getJson } from './api.js';

/** The print time a bench script put in its line (`<seq> <epoch ms>`), or 0 for another line. */
const printedAt = (content: string): number => Number(content.split(' ')[1]) || 0;

/** A WebSocket subscription to one execution's lines from its first (batched); `ready` once subscribed. */
export interface LineSubscription {
  ready: Promise<void>;
  close(): void;
}

/** Subscribes to one execution from line 0 and hands every line's content to `onLine` with its arrival time. */
export function subscribeLines(
  url: string,
  executionId: number,
  onLine: (content: string, at: number) => void,
): LineSubscription {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  const ready = new Promise<void>((done, fail) => {
    socket.on('error', fail);
    socket.on('open', () =>
      socket.send(
        JSON.stringify({ type: 'subscribe', data: { execution_id: executionId, from_line: 0, batch: true } }),
      ),
    );
    socket.on('message', (data: Buffer) => {
      const at = Date.now();
      const message = JSON.parse(data.toString()) as { type: string; data: { lines?: { content: string }[] } };
      if (message.type === 'subscribed') done();
      for (const line of message.data.lines ?? []) onLine(line.content, at);
    });
  });
  return { ready, close: () => socket.close() };
}

/** Subscribes to one execution and records print -> received for every line. */
export function subscribeLatency(url: string, executionId: number): LineSubscription & { latencies: number[] } {
  const latencies: number[] = [];
  const subscription = subscribeLines(url, executionId, (content, now) => {
    const at = printedAt(content);
    if (at > 0) latencies.push(now - at);
  });
  return { ...subscription, latencies };
}

/** How often the stored log is read: a stored line is timed up to this much (plus one request) late. */
export const STORED_POLL_MS = 20;

/**
 * Reads one execution's stored log (`GET …/logs` from the next unseen line) every STORED_POLL_MS and records print ->
 * readable from the store for every new line, until `stop` and the log has ended.
 */
export function pollStoredLatency(
  url: string,
  executionId: number,
): { latencies: number[]; stop: () => Promise<void> } {
  const latencies: number[] = [];
  let stopping = false;
  const polling = (async () => {
    let offset = 0;
    for (;;) {
      const page = await getJson<{ lines: { content: string }[]; is_running: boolean }>(
        url,
        `/api/executions/${executionId}/logs?offset=${offset}&limit=10000`,
      );
      const now = Date.now();
      for (const line of page.lines) {
        const at = printedAt(line.content);
        if (at > 0) latencies.push(now - at);
      }
      offset += page.lines.length;
      if (stopping && !page.is_running && page.lines.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, STORED_POLL_MS));
    }
  })();
  return {
    latencies,
    stop: async () => {
      stopping = true;
      await polling;
    },
  };
}
