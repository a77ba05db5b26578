// Owns the dashboard's sign-in state: who is signed in (GET /api/session), signing in with a key, signing out, and what the role may do.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setUnauthorizedHandler } from './api';
import { restartFeed } from './live-feed';

/** A role as the API names it. */
export type Role = 'viewer' | 'operator' | 'admin';

/** GET /api/session. */
export interface SessionInfo {
  auth_enabled: boolean;
  name: string;
  role: Role;
  via: string;
}

/** Where the dashboard stands: still asking, must sign in, or signed in (also when auth is off). */
export type SessionState =
  { status: 'loading' } | { status: 'signed-out'; message: string | null } | { status: 'signed-in'; info: SessionInfo };

const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
const listeners = new Set<(state: SessionState) => void>();
let state: SessionState = { status: 'loading' };

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener(next);
}

// Any API call answering 401 (expired session, revoked key) brings back the sign-in page.
setUnauthorizedHandler(() => {
  if (state.status !== 'signed-out')
    setState({
      status: 'signed-out',
      message: state.status === 'signed-in' ? 'Your session has ended. Sign in again.' : null,
    });
});

/** Asks the server who we are; a 401 shows the sign-in page. */
export async function loadSession(): Promise<void> {
  try {
    setState({ status: 'signed-in', info: await api<SessionInfo>('/api/session') });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401))
      setState({ status: 'signed-out', message: `Could not reach StepFlow: ${(error as Error).message}` });
  }
}

/** Exchanges an API key for the session cookie; the key itself is not kept by the page. */
export async function signIn(key: string): Promise<void> {
  const info = await api<SessionInfo>('/api/session', { method: 'POST', body: JSON.stringify({ key }) });
  setState({ status: 'signed-in', info });
  // The feed was refused while signed out; the cookie now lets it in.
  restartFeed();
}

/** Ends the session on the server and returns to the sign-in page. */
export async function signOut(): Promise<void> {
  await api('/api/session', { method: 'DELETE' }).catch(() => undefined);
  setState({ status: 'signed-out', message: 'Signed out.' });
}

/** The session state, re-rendering the caller when it changes. */
export function useSession(): SessionState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => void listeners.delete(setCurrent);
  }, []);
  return current;
}

/** True when the signed-in role may do what needs `need` (everything when auth is off). */
export function useCan(need: Role): boolean {
  const session = useSession();
  if (session.status !== 'signed-in') return false;
  return ROLES.indexOf(session.info.role) >= ROLES.indexOf(need);
}
