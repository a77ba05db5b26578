// Owns the roles an API key can carry and the order that ranks them.

/** What a key may do: viewer reads; operator also creates, cancels and re-runs; admin also deletes, optimizes and manages keys. */
export type Role = 'viewer' | 'operator' | 'admin';

/** Every role, weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** True when a holder of `have` may do what needs `need` (roles are cumulative). */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** True when the text names a role. */
export function isRole(text: unknown): text is Role {
  return typeof text === 'string' && (ROLES as readonly string[]).includes(text);
}
