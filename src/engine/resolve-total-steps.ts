// Owns the rule for an execution's total_steps: steps seen, unless the script declared more.

/**
 * Returns the declared `total_steps` from execution metadata when it is a whole number at least
 * as large as the steps seen so far (so progress can be shown before later steps start), else
 * the number of steps seen.
 */
export function resolveTotalSteps(metadata: Record<string, unknown>, stepsSeen: number): number {
  const declared = metadata['total_steps'];
  if (typeof declared === 'number' && Number.isInteger(declared) && declared >= stepsSeen) return declared;
  return stepsSeen;
}
