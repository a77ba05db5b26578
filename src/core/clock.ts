// Owns the Clock abstraction so time can be injected into pure code and tests.

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
