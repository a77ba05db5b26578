// Owns the first-character dispatch table: for each ASCII character a line may start with, which dialects could read it.
import type { MarkerDialect } from './marker-dialect.js';
import type { MarkerMatchMode } from './marker-event.js';

/** Route bits: which readers a line starting with a given character must be shown to. 0 means plain text. */
export const ROUTE = Object.freeze({
  stepflow: 1,
  github: 2,
  /** `##`: Azure and TeamCity. */
  hash: 4,
  gitlab: 8,
  /** Column-0 headers `---`, `+++`, `~~~`, `^^^`. */
  buildkite: 16,
  tap: 32,
  /** A space or tab: skip the indentation and route by the first visible character. */
  indent: 64,
});

// First characters of StepFlow's tokens at line start (S s A a M m P p, and ':' for `::add-mask::`).
const STEPFLOW_STARTS = 'SsAaMmPp:';
const DIALECT_STARTS: Readonly<Record<Exclude<MarkerDialect, 'stepflow'>, [string, number]>> = {
  github: [':', ROUTE.github],
  gitlab: ['s\x1b', ROUTE.gitlab],
  azure: ['#', ROUTE.hash],
  teamcity: ['#', ROUTE.hash],
  buildkite: ['-+~^', ROUTE.buildkite],
  tap: ['on#B-', ROUTE.tap],
};

/** The table a scanner routes lines with, and the route of a line whose first character is not ASCII (or that is empty). */
export interface FirstCharacterRoutes {
  table: Uint8Array;
  wide: number;
}

/**
 * Builds the table for the chosen dialects: one look at `table[line.charCodeAt(0)]` says which parsers a line goes to,
 * so a plain line costs one lookup. Control characters and non-ASCII starts go to StepFlow's parser (its markers may
 * follow ANSI codes or Unicode whitespace); in `anywhere` mode StepFlow's parser reads every line before the table.
 */
export function buildFirstCharacterRoutes(
  dialects: readonly MarkerDialect[],
  mode: MarkerMatchMode,
): FirstCharacterRoutes {
  const table = new Uint8Array(128);
  const stepflow = dialects.includes('stepflow') && mode === 'line_start';
  const others = dialects.some((dialect) => dialect !== 'stepflow');
  const add = (chars: string, bit: number): void => {
    for (const char of chars) table[char.charCodeAt(0)] = (table[char.charCodeAt(0)] as number) | bit;
  };
  if (stepflow) {
    add(STEPFLOW_STARTS, ROUTE.stepflow);
    for (let code = 0; code < 33; code++) if (code !== 32 && code !== 9) table[code] = ROUTE.stepflow;
    table[127] = ROUTE.stepflow;
  }
  for (const dialect of dialects) if (dialect !== 'stepflow') add(...DIALECT_STARTS[dialect]);
  if (stepflow || others) add(' \t', ROUTE.indent);
  return { table, wide: stepflow ? ROUTE.stepflow : 0 };
}
