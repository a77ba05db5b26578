// Owns the browser-origin check of WebSocket upgrade requests (cross-site WebSocket hijacking guard).

/**
 * True when a request may open the live feed: no Origin header (a non-browser client), an origin
 * whose host equals the request's Host header (same origin), or an origin listed in `allowed`.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    // Includes the literal "null" origin of sandboxed frames and file:// pages.
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (host !== undefined && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  return allowed.includes(parsed.origin);
}
