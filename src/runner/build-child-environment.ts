// Owns the environment a script's process receives.

/** Who the script's environment says it is, when it runs as another user than the server (STEPFLOW_RUN_AS). */
export interface ChildIdentity {
  name: string;
  home: string;
}

/**
 * Returns the `inherited` part of the server's environment (see filter-server-environment.ts),
 * then HOME, USER and LOGNAME of `identity` when the script runs as another user (so tools do not
 * try to write to the server user's home), then the execution's `requested` variables, and
 * `PYTHONUNBUFFERED=1` so Python scripts stream their output live instead of in 4 KiB blocks.
 */
export function buildChildEnvironment(
  inherited: Record<string, string | undefined>,
  requested: Record<string, string>,
  identity: ChildIdentity | null = null,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited)) if (value !== undefined) environment[key] = value;
  if (identity !== null)
    Object.assign(environment, { HOME: identity.home, USER: identity.name, LOGNAME: identity.name });
  Object.assign(environment, requested);
  environment['PYTHONUNBUFFERED'] = '1';
  return environment;
}
