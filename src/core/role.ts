// Owns the roles an API key can carry and the order that ranks them.

/** What a key may do: viewer reads; operator also creates, cancels and re-runs; admin also deletes, optimizes and manages keys; agent runs executions. */
export type Role = 'viewer' | 'operator' | 'admin' | 'agent';

/** The roles people hold, weakest first; each includes the ones before it. */
const RANKED: readonly Role[] = ['viewer', 'operator', 'admin'];

/** Every role: the ranked ones, then `agent`, which runs executions it claimed and may do nothing else. */
export const ROLES: readonly Role[] = [...RANKED, 'agent'];

/** True when a holder of `have` may do what needs `need` (roles are cumulative). */
export function roleAllows(have: Role, need: Role): boolean {
  // An agent key is no person's key: it reaches only the agent routes, and only it reaches them.
  if (have === 'agent' || need === 'agent') return have === need;
  return RANKED.indexOf(have) >= RANKED.indexOf(need);
}

/** True when the text names a role. */
export function isRole(text: unknown): text is Role {
  return typeof text === 'string' && (ROLES as readonly string[]).includes(text);
}
