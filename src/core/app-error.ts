// Owns AppError and the closed set of error codes every layer may raise.

/** Every machine-readable error code StepFlow returns; http/errors.ts maps each to a status. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'host_not_allowed'
  | 'rate_limited'
  | 'queue_full'
  | 'key_not_found'
  | 'bad_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'execution_not_found'
  | 'step_not_found'
  | 'artifact_not_found'
  | 'range_not_satisfiable'
  | 'route_not_found'
  | 'execution_running'
  | 'execution_finished'
  | 'shutting_down'
  | 'storage_unavailable'
  | 'insufficient_storage'
  | 'unhealthy'
  | 'agent_protocol_unsupported'
  | 'agent_session_unknown'
  | 'agent_not_holder'
  | 'agent_batch_gap'
  | 'internal_error';

/**
 * An expected failure with a stable code; `field` names the offending input when there is one, and `options.cause`
 * (ES2022) keeps the error it was made from, so logs and debuggers still see the driver's or the kernel's own words.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }
}
