// Owns the environment a script's process receives.

/**
 * Returns `base` without StepFlow's own `STEPFLOW_*` settings (they may hold secrets such as
 * tokens), overlaid with the execution's `requested` variables and `PYTHONUNBUFFERED=1` so Python
 * scripts stream their output live instead of in 4 KiB blocks.
 */
export function buildChildEnvironment(
  base: Record<string, string | undefined>,
  requested: Record<string, string>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !key.startsWith('STEPFLOW_')) environment[key] = value;
  }
  Object.assign(environment, requested);
  environment['PYTHONUNBUFFERED'] = '1';
  return environment;
}
