// Builds the spellings of a route's path that a lenient or tricked router might take for it (escapes, case, slashes, dot segments,
// absolute form), the callers that try them, and the judge of what each may get back.
import { roleAllows, type Role } from '../../src/core/role.js';
import { openKeyManager } from '../../src/open-key-manager.js';
import { startServer, type TestServer } from './harness.js';
import type { RawResponse } from './raw-request.js';

/** A concrete path for a route pattern (`:id` becomes 1). */
export function concretePath(pattern: string): string {
  return pattern.replace(/:[a-z_]+/g, '1');
}

function escapeFirstLetter(path: string): string {
  return path.replace(/[a-z]/, (letter) => `%${letter.charCodeAt(0).toString(16)}`);
}

/** Every fixed spelling of `path` the access tests try, the path itself first. */
export function spellingsOf(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  const first = segments[0] ?? '';
  return [
    ...new Set([
      path,
      escapeFirstLetter(path),
      path.replace(/[a-z]/g, (letter) => `%${letter.charCodeAt(0).toString(16).toUpperCase()}`),
      `/${path}`,
      path.replace(/\//g, '//'),
      `/./${segments.join('/')}`,
      `/${first}/../${segments.join('/')}`,
      `/nothing/..${path}`,
      path.toUpperCase(),
      `${path}/`,
      `${path}?x=1`,
      `${path}#frag`,
      `http://evil.example${path}`,
      `http://127.0.0.1${path}`,
      `${path}%2F`,
      `/${segments.join('%2F')}`,
      `${path};x`,
      `${path}%00`,
    ]),
  ];
}

/** The credentials tried on every route: none, then one key per role. */
export type Caller = { role: Role | null; headers: Record<string, string> };

export function codeOf(response: RawResponse): string | undefined {
  try {
    return (JSON.parse(response.body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

// A spelling that is no API path at all (`/metrics;x`) gets the dashboard's page, which holds nothing of the API.
function isDashboardPage(response: RawResponse): boolean {
  return response.status === 200 && String(response.headers['content-type']).startsWith('text/html');
}

// A spelling that matches no route is not found (after the key is checked); it never reaches the handler. HEAD answers carry no body.
function isRouteNotFound(method: string, response: RawResponse): boolean {
  return response.status === 404 && (method === 'HEAD' || codeOf(response) === 'route_not_found');
}

/** Checks one answer against the route's rule; returns a problem, or null when the answer is what access control allows. */
export function judgeAccess(
  method: string,
  required: Role | 'public',
  caller: Caller,
  response: RawResponse,
): string | null {
  if (required === 'public' || isDashboardPage(response)) return null;
  if (caller.role === null) return response.status === 401 ? null : `no key got ${response.status}`;
  if (roleAllows(caller.role, required))
    return response.status === 401 || response.status === 403 ? `${caller.role} refused with ${response.status}` : null;
  if (response.status === 403 || isRouteNotFound(method, response)) return null;
  return `${caller.role} key got ${response.status} (${codeOf(response) ?? 'no code'}) on a route that needs ${required}`;
}

/** No key, then a key of each role (viewer and operator stored, admin the server's env key). */
export async function createCallers(server: TestServer, adminKey: string): Promise<Caller[]> {
  const callers: Caller[] = [{ role: null, headers: {} }];
  const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
  for (const role of ['viewer', 'operator'] as const)
    callers.push({ role, headers: { 'x-api-key': (await manager.create(`${role}-${Date.now()}`, role)).key } });
  await manager.close();
  callers.push({ role: 'admin', headers: { authorization: `Bearer ${adminKey}` } });
  return callers;
}

/** A server with auth on and the failed-authentication limit off (the walks send thousands of refused keys), and its callers. */
export async function startAuthServer(adminKey: string): Promise<{ server: TestServer; callers: Caller[] }> {
  const server = await startServer({
    authEnabled: true,
    apiKey: adminKey,
    authFailuresPerMinute: 0,
    killGraceSeconds: 0.2,
  });
  return { server, callers: await createCallers(server, adminKey) };
}
