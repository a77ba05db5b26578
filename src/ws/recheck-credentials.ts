// Owns closing live-feed connections whose key was revoked (or whose session ended) since they connected.
import type { HubContext } from './hub-context.js';
import type { WsClient } from './ws-client.js';

/** Close code sent to a client whose credentials no longer hold (policy violation). */
export const CREDENTIALS_REVOKED_CLOSE_CODE = 1008;

/**
 * Every `intervalMs`, checks again the credentials of each authenticated client and closes those that no longer
 * prove anything. Keys can be revoked by `stepflow keys revoke` in another process, so the store is asked afresh.
 */
export function startCredentialRecheck(context: HubContext, intervalMs: number): NodeJS.Timeout {
  const pending = new WeakSet<WsClient>();
  const timer = setInterval(() => {
    for (const client of context.clients) {
      const check = client.stillValid;
      if (check === null || pending.has(client) || !client.open) continue;
      pending.add(client);
      check()
        .then(
          (valid) => {
            if (!valid && client.open) {
              context.logger.warn(
                { client_id: client.id },
                'websocket client closed: its key was revoked or its session ended',
              );
              client.socket.close(CREDENTIALS_REVOKED_CLOSE_CODE, 'credentials revoked');
            }
          },
          (error: unknown) =>
            context.logger.warn({ err: error, client_id: client.id }, 'websocket credential re-check failed'),
        )
        .finally(() => pending.delete(client));
    }
  }, intervalMs);
  timer.unref();
  return timer;
}
