// Owns the start-up rule for network exposure: a non-loopback bind needs auth, or an explicit --allow-unauthenticated.
import type { Config } from './config.js';

/** The verdict on binding: a refusal line, or warnings to print on every start. */
export interface ExposureVerdict {
  refusal: string | null;
  warnings: string[];
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i.test(host);
}

/** Refuses a non-loopback bind without auth unless allowUnauthenticated is set; then warns instead. */
export function checkExposure(
  config: Pick<Config, 'host' | 'websocketHost' | 'websocketPort' | 'authEnabled' | 'allowUnauthenticated'>,
): ExposureVerdict {
  if (config.authEnabled) return { refusal: null, warnings: [] };
  const hosts = [config.host, ...(config.websocketPort === 0 ? [] : [config.websocketHost])];
  const exposed = [...new Set(hosts)].filter((host) => !isLoopbackHost(host));
  if (exposed.length === 0) return { refusal: null, warnings: [] };
  const where = exposed.join(' and ');
  if (!config.allowUnauthenticated) {
    return {
      refusal: `refusing to bind ${where} without authentication: anyone who reaches it could run commands on this machine; set STEPFLOW_AUTH_ENABLED=true (--auth) with an API key, bind 127.0.0.1, or pass --allow-unauthenticated`,
      warnings: [],
    };
  }
  return {
    refusal: null,
    warnings: [
      `warning: binding ${where} WITHOUT authentication (--allow-unauthenticated): anyone who can reach it can run commands on this machine`,
    ],
  };
}
