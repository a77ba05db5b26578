// Owns the engine's entry point: one event in, the next state and its effects out.
import { isTerminalStatus } from '../core/execution.js';
import type { MarkerEvent } from '../markers/marker-event.js';
import { readMaskAhead } from '../markers/read-mask-ahead.js';
import { scanMarkerLine } from '../markers/scan-marker-line.js';
import { applyMarker } from './apply-marker.js';
import { registerMaskAhead } from './apply-mask.js';
import type { EngineEffect, EngineEvent, EngineState, EngineTransition, StopReason } from './engine-types.js';
import { finishExecution, finishOnExit, finishOnSpawnFailure } from './finish-execution.js';
import { MASK_TEXT } from './secret-mask.js';
import { TransitionDraft } from './transition-draft.js';

const PLAIN_TEXT: MarkerEvent = Object.freeze({ kind: 'text' });

/**
 * Applies one event to an execution's state. The state is updated in place and returned (it has one
 * owner; see EngineState); there is no I/O, time comes only from the event, and events after the
 * execution finished are ignored (no effects).
 */
export function applyEngineEvent(state: EngineState, event: EngineEvent): EngineTransition {
  if (isTerminalStatus(state.execution.status)) return { state, effects: [] };
  const draft = new TransitionDraft(state);
  switch (event.type) {
    case 'started':
      draft.patchExecution({ status: 'running', started_at: event.at });
      draft.emitExecution();
      break;
    case 'line':
      applyLine(draft, event.stream, event.content, event.at, event.continuation === true);
      break;
    case 'exited':
      finishOnExit(draft, event.exit_code, event.signal, event.at);
      break;
    case 'spawn_failed':
      finishOnSpawnFailure(draft, event.message, event.at);
      break;
    case 'cancel_requested':
      requestStop(draft, 'cancelled', 'cancelled by request', event.at);
      break;
    case 'timed_out':
      requestStop(draft, 'timed_out', `timed out after ${event.timeout_seconds} s`, event.at);
      break;
    case 'notice':
      // Attributed like any output line arriving now, so step line ranges stay contiguous.
      draft.appendLog(event.at, 'system', draft.state.openStep, event.content);
      break;
    case 'mask_ahead':
      maskAhead(draft.state, event.content);
      break;
  }
  return draft.toTransition();
}

/** Logs the line verbatim (markers included, so the log is exactly what the script printed) and applies its marker. */
function applyLine(
  draft: TransitionDraft,
  stream: 'stdout' | 'stderr',
  content: string,
  at: number,
  continuation: boolean,
): void {
  const line = draft.reserveLine();
  // Once a stop is under way the run's outcome is decided; later markers are only text. A continuation
  // piece starts wherever the 1 MiB cut fell, so a script could pad a line to put any marker there.
  const parse = draft.state.stopping === null && !continuation;
  const marker = parse ? scanMarkerLine(draft.state.scanner, content, stream) : PLAIN_TEXT;
  const outcome = applyMarker(draft, marker, line, at);
  let logged = outcome.hidden === undefined ? content : content.split(outcome.hidden).join(MASK_TEXT);
  // An escaped secret (Azure %AZP25, GitHub %25) does not read as the value in its own marker line.
  if (marker.kind === 'mask' && marker.printed !== undefined && marker.printed !== '')
    logged = logged.split(marker.printed).join(MASK_TEXT);
  draft.recordLog(line, at, stream, outcome.stepIndex, logged);
  if (outcome.warning !== null) draft.appendLog(at, 'system', outcome.stepIndex, `warning: ${outcome.warning}`);
}

/** Registers the value of a masking line read ahead (MASK, ::add-mask::, Azure task.setsecret); only while its own line would still be parsed as a marker. */
function maskAhead(state: EngineState, content: string): void {
  if (state.stopping !== null) return;
  const value = readMaskAhead(state.scanner, content);
  if (value !== null) registerMaskAhead(state, value);
}

/** Records the first stop reason and asks for the process group to be killed; a run never started ends at once. */
function requestStop(draft: TransitionDraft, reason: StopReason, message: string, at: number): void {
  if (draft.state.stopping !== null) return;
  draft.update({ stopping: { reason, message } });
  if (draft.state.execution.status === 'pending') {
    finishExecution(draft, at, reason === 'cancelled' ? 'cancelled' : 'failed', message, null);
    return;
  }
  draft.emit({ type: 'kill_process_group', reason });
}

/** Applies several events in order (a replay); returns the last state and every effect, in order. */
export function applyEngineEvents(state: EngineState, events: readonly EngineEvent[]): EngineTransition {
  const effects: EngineEffect[] = [];
  for (const event of events) {
    const transition = applyEngineEvent(state, event);
    state = transition.state;
    effects.push(...transition.effects);
  }
  return { state, effects };
}
