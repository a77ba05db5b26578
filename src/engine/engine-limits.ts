// Owns the bounds on what one execution's markers may make the engine keep, so no script can grow its state without end.

/** Most steps of one execution; the STEP_START past it only closes the open step, and step markers are text from then on. */
export const MAX_STEPS = 1_000;

/** Most ARTIFACT markers one execution may announce; later ones are logged but not collected. */
export const MAX_ARTIFACTS = 1_000;

/** Most keys in one metadata object: the execution's own, or one step's. */
export const MAX_META_KEYS = 100;

/** Most bytes (UTF-8, keys plus values as text) in one metadata object. */
export const MAX_META_BYTES = 65_536;

/** Most bytes of metadata in one execution, its own and all its steps' together. */
export const MAX_META_TOTAL_BYTES = 1_048_576;

/** Most values MASK markers may register in one execution (values from the environment are not counted). */
export const MAX_MASKED_VALUES = 1_000;

/** Most bytes (UTF-8) of the values MASK markers register in one execution. */
export const MAX_MASKED_BYTES = 65_536;

/** Deepest nesting of steps (groups inside groups); a group opened deeper is plain text. */
export const MAX_STEP_DEPTH = 32;

/** Most annotations kept per execution; later ones are counted (and the count shown), not kept. */
export const MAX_ANNOTATIONS = 1_000;

/** Most TAP test points made into steps; later ones are counted and summed up when the run ends. */
export const MAX_TEST_POINT_STEPS = 250;

/**
 * How far a time a script prints (GitLab's section timestamps) may be from when StepFlow received the line and still
 * be used as the step's start or end; a timestamp further off (a wrong clock, a replayed log) is ignored.
 */
export const MAX_PRINTED_TIME_SKEW_MS = 300_000;
