// Owns the success envelope every JSON response is wrapped in (contract §2), and stamping each envelope's time.
import type { Clock } from '../core/clock.js';
import type { TypedApp } from './typed-app.js';

/** Wraps data as `{success: true, data, error: null, timestamp}`; the timestamp is stamped when the reply is serialized. */
export function ok<T>(data: T): { success: true; data: T; error: null; timestamp: string } {
  return { success: true, data, error: null, timestamp: '' };
}

function isEnvelope(payload: unknown): payload is { success: boolean; timestamp: string } {
  return (
    typeof payload === 'object' && payload !== null && typeof (payload as { success?: unknown }).success === 'boolean'
  );
}

/**
 * Stamps `timestamp` on every envelope (success and error alike) from the server's clock, just before it is
 * serialized: one place, so no route reads the wall clock and a test clock moves every envelope's time.
 */
export function stampEnvelopes(app: TypedApp, clock: Clock): void {
  app.addHook('preSerialization', async (_request, _reply, payload: unknown) => {
    if (isEnvelope(payload)) payload.timestamp = new Date(clock.now()).toISOString();
    return payload;
  });
}
