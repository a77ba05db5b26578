// Owns the shape of one audit-trail entry: who did what to which execution, and when.

/** The actions the audit trail records: state changes, and cross-run log searches (a read that spans every run). */
export type AuditAction =
  'create' | 'cancel' | 'rerun' | 'delete' | 'artifact_delete' | 'key_create' | 'key_revoke' | 'search';

/** A stored audit entry; `actor` is the key name (or "anonymous" when auth is off, "cli" for local key management). */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: AuditAction;
  execution_id: number | null;
  /** Free-form facts (e.g. `rerun_of`, `client`), kept as JSON. */
  detail: Record<string, unknown>;
}

/** An audit entry to store. */
export type NewAuditEntry = Omit<AuditEntry, 'id'>;
