// Owns which Host names and browser origins the server answers as its own: the DNS-rebinding and cross-site guards shared by HTTP and WebSocket.

/** What a request says about where it was sent: its Host header and the scheme it arrived over. */
export interface RequestTarget {
  host: string | undefined;
  scheme: 'http' | 'https';
}

/** Decides whether a request's Host names this server and whether a browser Origin is one of ours. */
export interface OriginPolicy {
  /** True when `host` (a Host header, port optional) names this server, or Host names are not checked. */
  isHostAllowed(host: string | undefined): boolean;
  /**
   * True when `origin` is absent (not a browser), the request's own origin (same scheme, host and port),
   * one of the server's own HTTP origins (its names on its HTTP port), or configured.
   */
  isOriginAllowed(origin: string | undefined, target: RequestTarget): boolean;
}

/** Settings of the policy. */
export interface OriginPolicyOptions {
  /** Host names accepted in the Host header; null turns the Host check off (auth on, behind a proxy). */
  allowedHosts: readonly string[] | null;
  /** Names the server answers to for its own origins even when the Host check is off. */
  ownNames: readonly string[];
  /** Browser origins accepted besides the server's own (STEPFLOW_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** The HTTP port the dashboard is served on, known once the server listens. */
  httpPort: () => number | null;
}

/** The host name of a Host header, lower-cased, without its port, brackets kept for IPv6 (`[::1]`), trailing dot dropped. */
export function hostNameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  const name = trimmed.startsWith('[') ? trimmed.slice(0, trimmed.indexOf(']') + 1) : trimmed.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The scheme a request arrived over: TLS on the socket, or a TLS proxy's X-Forwarded-Proto. */
export function schemeOf(encrypted: boolean, forwardedProto: string | string[] | undefined): 'http' | 'https' {
  if (encrypted) return 'https';
  const first = [forwardedProto ?? ''].flat()[0]?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' ? 'https' : 'http';
}

function parseOrigin(origin: string): URL | null {
  try {
    const url = new URL(origin);
    // The literal "null" origin of sandboxed frames and file:// pages never parses as http(s).
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** Builds the policy; host names in the options are compared as hostNameOf gives them. */
export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const hosts = options.allowedHosts === null ? null : new Set(options.allowedHosts.map(hostNameOf));
  const anyHost = hosts?.has('*') ?? true;
  const ownNames = new Set([...(hosts ?? []), ...options.ownNames.map(hostNameOf)].filter((name) => name !== '*'));
  const allowedOrigins = new Set(options.allowedOrigins);

  function isOwnOrigin(url: URL): boolean {
    const port = options.httpPort();
    return (
      port !== null &&
      ownNames.has(hostNameOf(url.hostname)) &&
      (url.port || defaultPort(url.protocol)) === String(port)
    );
  }

  return {
    isHostAllowed(host) {
      if (anyHost) return true;
      return host !== undefined && hosts!.has(hostNameOf(host));
    },
    isOriginAllowed(origin, target) {
      if (origin === undefined) return true;
      const url = parseOrigin(origin);
      if (url === null) return false;
      if (allowedOrigins.has(url.origin)) return true;
      const sameHost = target.host !== undefined && url.host === target.host.trim().toLowerCase();
      if (sameHost && url.protocol === `${target.scheme}:`) return true;
      return url.protocol === 'http:' && isOwnOrigin(url);
    },
  };
}
