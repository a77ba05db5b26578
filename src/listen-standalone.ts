// Owns opening the standalone WebSocket port, and what a busy port means (a warning for the default, an error for a chosen one).
import type { pino } from 'pino';
import type { Config } from './config/config.js';
import { errorCode } from './core/error-code.js';
import type { WsHub } from './ws/ws-hub.js';

/**
 * Opens the standalone WebSocket port. The default port being taken (another StepFlow, a dev server) only costs old
 * clients their ws://host:8765, since /ws on the HTTP port serves everyone: a warning. A port the user chose is an error.
 */
export async function listenStandalone(hub: WsHub, config: Config, logger: pino.Logger): Promise<number | null> {
  try {
    return await hub.listen(config.websocketHost, config.websocketPort);
  } catch (error) {
    if (errorCode(error) !== 'EADDRINUSE') throw error;
    const where = `${config.websocketHost}:${config.websocketPort}`;
    if (!config.websocketPortIsDefault)
      throw new Error(
        `the standalone WebSocket port ${where} (--ws-port / STEPFLOW_WEBSOCKET_PORT) is in use; choose another, or 0 to turn it off`,
        { cause: error },
      );
    logger.warn(
      { ws_port: config.websocketPort },
      `the standalone WebSocket port ${where} is in use, so it stays closed; the live feed is served at /ws on the HTTP port. Set --ws-port / STEPFLOW_WEBSOCKET_PORT to another port, or 0 to silence this`,
    );
    return null;
  }
}
