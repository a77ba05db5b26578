// Owns which of the server's own environment variables scripts inherit: none that look like the server's secrets.

/** What counts as a secret of the server's, and which variables the admin lets through anyway. */
export interface ServerEnvironmentRules {
  /** Names whose values are secrets (STEPFLOW_SECRET_NAME_PATTERNS, compiled); null for none. */
  secretNames: RegExp | null;
  /** Names inherited whatever they look like (STEPFLOW_CHILD_ENV_PASSTHROUGH). */
  passthrough: readonly string[];
}

// postgres://user:pass@host/db and the like: a connection string that carries its password.
function isUrlWithPassword(value: string): boolean {
  if (!value.includes('@')) return false;
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}

/**
 * Returns the part of the server's environment that scripts may inherit. Removed unless listed in
 * `passthrough`: StepFlow's own `STEPFLOW_*` settings, variables whose names are secret names, and
 * values that are URLs with a password (DATABASE_URL and its kin). An execution's own
 * `environment` is added later and never filtered: whoever created it chose to pass it.
 */
export function filterServerEnvironment(
  server: Record<string, string | undefined>,
  rules: ServerEnvironmentRules,
): Record<string, string> {
  const passthrough = new Set(rules.passthrough);
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(server)) {
    if (value === undefined) continue;
    const secret = name.startsWith('STEPFLOW_') || rules.secretNames?.test(name) === true || isUrlWithPassword(value);
    if (!secret || passthrough.has(name)) inherited[name] = value;
  }
  return inherited;
}
