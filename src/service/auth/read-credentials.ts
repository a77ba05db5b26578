// Owns reading the credentials a request presents: an API key header or the dashboard's session cookie.

/** Name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'stepflow_session';

/** What a request presented; a key wins over a cookie when both are sent. */
export interface Credentials {
  key?: string;
  sessionToken?: string;
}

type Headers = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the session token out of a Cookie header, or undefined. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.split('=');
    if (name?.trim() === SESSION_COOKIE) return rest.join('=').trim() || undefined;
  }
  return undefined;
}

/** Reads `Authorization: Bearer <key>`, `X-API-Key: <key>` and the session cookie from request headers. */
export function readCredentials(headers: Headers): Credentials {
  const authorization = single(headers.authorization);
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const key = bearer ?? single(headers['x-api-key'])?.trim();
  const sessionToken = readSessionCookie(single(headers.cookie));
  return { ...(key ? { key } : {}), ...(sessionToken ? { sessionToken } : {}) };
}
