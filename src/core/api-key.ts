// Owns the stored shapes of API keys and dashboard sessions (only hashes of their secrets are ever stored).
import type { Role } from './role.js';

/** A stored API key; `key_hash` is the hex SHA-256 of the secret shown once at creation. */
export interface ApiKeyRecord {
  id: number;
  name: string;
  role: Role;
  key_hash: string;
  created_at: number;
  /** Epoch ms of revocation; a revoked key authenticates nothing. */
  revoked_at: number | null;
}

/** An API key to store. */
export type NewApiKey = Omit<ApiKeyRecord, 'id' | 'revoked_at'>;

/** A dashboard session: the hash of its cookie token and the hash of the key that started it. */
export interface SessionRecord {
  token_hash: string;
  key_hash: string;
  created_at: number;
  expires_at: number;
}
