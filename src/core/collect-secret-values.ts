// Owns deciding which environment values are secrets: those whose variable names match the configured patterns.

/** Compiles name patterns (`*` = any text, case-insensitive) into one test; null when there are none. */
export function compileSecretNamePatterns(patterns: readonly string[]): RegExp | null {
  if (patterns.length === 0) return null;
  const alternatives = patterns.map((pattern) =>
    pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
}

/** The values of the variables in `environments` whose names match `names`; empty values are skipped. */
export function collectSecretValues(
  names: RegExp | null,
  ...environments: Record<string, string | undefined>[]
): string[] {
  if (names === null) return [];
  const values: string[] = [];
  for (const environment of environments) {
    for (const [name, value] of Object.entries(environment)) {
      if (value !== undefined && value !== '' && names.test(name)) values.push(value);
    }
  }
  return values;
}
