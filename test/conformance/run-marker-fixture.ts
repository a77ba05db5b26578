// Owns replaying one marker fixture through the engine and reducing the result to what the fixture's expectations name.
import { readFileSync } from 'node:fs';
import { applyEngineEvents } from '../../src/engine/apply-engine-event.js';
import { createEngineState } from '../../src/engine/create-engine-state.js';
import type { EngineEvent } from '../../src/engine/engine-types.js';
import type { MarkerDialect } from '../../src/markers/marker-dialect.js';

/** What a fixture run produced, in the shape of its `.expected.json`. */
export interface FixtureOutcome {
  status: string;
  steps: {
    name: string;
    status: string;
    depth: number;
    parent: number | null;
    collapsed: boolean;
    error: string | null;
    progress: number | null;
    progress_message: string | null;
    lines: [number | null, number | null];
  }[];
  annotations: {
    level: string;
    message: string;
    file: string | null;
    line: number | null;
    col: number | null;
    end_line: number | null;
    end_col: number | null;
    title: string | null;
    log_line: number;
    step: number | null;
  }[];
  artifacts: string[];
  summaries: string[];
  masked_lines: string[];
  system_lines: string[];
}

/** The fixture clock: the script starts at unix time FIXTURE_EPOCH_SECONDS, and line N is received N seconds later. */
export const FIXTURE_EPOCH_SECONDS = 1_700_000_000;

/**
 * Feeds `file` line by line (a line starting `!err ` goes to stderr without that prefix), line N received N seconds
 * after the start, with the given dialects, then exits with `exitCode`; answers the engine's state and effects.
 */
export function replayFixture(file: string, markers: readonly MarkerDialect[], exitCode: number) {
  const text = readFileSync(file, 'utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const epoch = FIXTURE_EPOCH_SECONDS * 1000;
  const events: EngineEvent[] = [{ type: 'started', at: epoch, pid: 1 }];
  lines.forEach((line, i) => {
    const stderr = line.startsWith('!err ');
    events.push({
      type: 'line',
      at: epoch + (i + 1) * 1000,
      stream: stderr ? 'stderr' : 'stdout',
      content: stderr ? line.slice(5) : line,
    });
  });
  events.push({ type: 'exited', at: epoch + (lines.length + 1) * 1000, exit_code: exitCode, signal: null });
  return applyEngineEvents(createEngineState({ markerMode: 'line_start', markers }), events);
}

/** Replays `file` (see replayFixture) and reduces the result to what a fixture's `.expected.json` names. */
export function runMarkerFixture(file: string, markers: readonly MarkerDialect[], exitCode: number): FixtureOutcome {
  const { state, effects } = replayFixture(file, markers, exitCode);
  const outcome: FixtureOutcome = {
    status: state.execution.status,
    steps: [],
    annotations: [],
    artifacts: [],
    summaries: [],
    masked_lines: [],
    system_lines: [],
  };
  for (const step of state.steps) {
    outcome.steps.push({
      name: step.name,
      status: step.status,
      depth: step.depth,
      parent: step.parent_index,
      collapsed: step.collapsed,
      error: step.error_message,
      progress: step.progress,
      progress_message: step.progress_message,
      lines: [step.first_line, step.last_line],
    });
  }
  for (const effect of effects) {
    if (effect.type === 'annotation') {
      const { at: _at, step_index: step, ...rest } = effect.annotation;
      outcome.annotations.push({ ...rest, step });
    } else if (effect.type === 'artifact') outcome.artifacts.push(effect.path);
    else if (effect.type === 'summary') outcome.summaries.push(effect.path);
    else if (effect.type === 'log' && effect.line.content.includes('***'))
      outcome.masked_lines.push(effect.line.content);
    if (effect.type === 'log' && effect.line.stream === 'system') outcome.system_lines.push(effect.line.content);
  }
  return outcome;
}
