// Owns turning bus events into WebSocket messages: execution-level ones to everyone, step/log/artifact ones to subscribers.
import type { StepflowEvent } from '../bus/event-bus.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { WsServerPayloads } from '../core/ws-messages.js';
import { toIso, toWireArtifact, toWireExecution } from '../service/to-wire.js';
import type { HubContext } from './hub-context.js';
import { encodeMessage, executionUpdateData } from './ws-message.js';

function startedData(record: ExecutionRecord): WsServerPayloads['execution_started'] {
  return {
    execution_id: String(record.id),
    name: record.name,
    command: typeof record.command === 'string' ? record.command : [...record.command],
    started_at: toIso(record.started_at),
  };
}

function completedData(
  record: ExecutionRecord,
  artifactsCount: number,
  now: number,
): WsServerPayloads['execution_completed'] {
  const wire = toWireExecution(record, now);
  return {
    execution_id: wire.id,
    status: wire.status,
    exit_code: wire.exit_code,
    completed_at: wire.completed_at,
    duration_seconds: wire.duration_seconds,
    total_steps: wire.total_steps,
    failed_steps: wire.failed_steps,
    artifacts_count: artifactsCount,
    error_message: wire.error_message,
  };
}

/** Drops every subscription to a deleted execution; its subscribers got execution_deleted like everyone. */
function dropChannel(context: HubContext, executionId: number): void {
  const channel = context.channels.get(executionId);
  if (!channel) return;
  for (const sub of [...channel.subscribers]) context.endSubscription(sub);
}

/** Routes one bus event; each message is serialized once whatever the number of recipients. */
export function routeBusEvent(context: HubContext, event: StepflowEvent): void {
  const now = context.settings.clock.now();
  switch (event.type) {
    case 'execution_created':
    case 'execution_updated':
      context.broadcast(encodeMessage('execution_update', executionUpdateData(event.execution, now), now));
      return;
    case 'execution_started':
      context.broadcast(encodeMessage('execution_update', executionUpdateData(event.execution, now), now));
      context.broadcast(encodeMessage('execution_started', startedData(event.execution), now));
      return;
    case 'execution_completed':
      // Subscribers get the last batched lines before they hear the execution ended.
      context.channels.get(event.execution.id)?.flush();
      context.broadcastAfterLines(
        event.execution.id,
        encodeMessage('execution_update', executionUpdateData(event.execution, now), now),
      );
      context.broadcastAfterLines(
        event.execution.id,
        encodeMessage('execution_completed', completedData(event.execution, event.artifacts_count, now), now),
      );
      return;
    case 'execution_deleted':
      context.channels.get(event.execution_id)?.flush();
      context.broadcast(encodeMessage('execution_deleted', { execution_id: String(event.execution_id) }, now));
      dropChannel(context, event.execution_id);
      return;
    case 'step_updated':
      context.channels.get(event.execution_id)?.publishStep(event.step);
      return;
    case 'artifact_created':
      context.channels
        .get(event.execution_id)
        ?.publish(
          encodeMessage(
            'artifact_created',
            { execution_id: String(event.execution_id), artifact: toWireArtifact(event.artifact) },
            now,
          ),
        );
      return;
    case 'log_lines':
      context.channels.get(event.execution_id)?.publishLines(event.lines);
      return;
  }
}
