// Owns ConfigError: the one error loadConfig throws, listing every problem it found at once.

/** Thrown by loadConfig when any setting is unusable; `problems` holds one line per problem, each naming its source and key. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
