// Owns the store contract's API key, session and audit trail tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withStore, type OpenStore } from './store-contract-fixtures.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** Registers the API key, session and audit contract tests. */
export function describeAuthContract(open: OpenStore): void {
  describe('api keys', () => {
    it('stores a key and finds it by hash until it is revoked', () =>
      withStore(open, async (store) => {
        const key = await store.createApiKey({ name: 'ci', role: 'viewer', key_hash: HASH_A, created_at: 10 });
        assert.deepEqual(await store.findApiKey(HASH_A), { ...key, revoked_at: null });
        const revoked = await store.revokeApiKey('ci', 20);
        assert.equal(revoked?.revoked_at, 20);
        assert.equal(await store.findApiKey(HASH_A), null);
        assert.equal((await store.listApiKeys())[0]?.revoked_at, 20);
      }));

    it('revokes by id, answers null for an unknown key, and lets a revoked name be reused', () =>
      withStore(open, async (store) => {
        const key = await store.createApiKey({ name: 'ci', role: 'admin', key_hash: HASH_A, created_at: 10 });
        await assert.rejects(store.createApiKey({ name: 'ci', role: 'admin', key_hash: HASH_B, created_at: 11 }));
        assert.equal(await store.revokeApiKey(999, 20), null);
        assert.equal((await store.revokeApiKey(key.id, 20))?.name, 'ci');
        assert.equal(await store.revokeApiKey(key.id, 21), null);
        await store.createApiKey({ name: 'ci', role: 'operator', key_hash: HASH_B, created_at: 30 });
        assert.deepEqual(
          (await store.listApiKeys()).map((k) => k.role),
          ['admin', 'operator'],
        );
      }));

    it('stores a key with the agent role', () =>
      withStore(open, async (store) => {
        const key = await store.createApiKey({ name: 'gpu-box', role: 'agent', key_hash: HASH_A, created_at: 10 });
        assert.equal((await store.findApiKey(HASH_A))?.role, 'agent');
        assert.deepEqual(
          (await store.listApiKeys()).map((k) => [k.id, k.role]),
          [[key.id, 'agent']],
        );
      }));
  });

  describe('sessions', () => {
    it('finds a session until it expires, deletes it, and sweeps expired ones', () =>
      withStore(open, async (store) => {
        await store.createSession({ token_hash: HASH_A, key_hash: HASH_B, created_at: 0, expires_at: 100 });
        assert.equal((await store.findSession(HASH_A, 99))?.key_hash, HASH_B);
        assert.equal(await store.findSession(HASH_A, 100), null);
        assert.equal(await store.deleteExpiredSessions(100), 1);
        await store.createSession({ token_hash: HASH_B, key_hash: HASH_A, created_at: 0, expires_at: 100 });
        await store.deleteSession(HASH_B);
        assert.equal(await store.findSession(HASH_B, 0), null);
      }));

    it('ends the sessions of a key when it is revoked', () =>
      withStore(open, async (store) => {
        await store.createApiKey({ name: 'ci', role: 'viewer', key_hash: HASH_A, created_at: 1 });
        await store.createSession({ token_hash: HASH_B, key_hash: HASH_A, created_at: 0, expires_at: 100 });
        await store.revokeApiKey('ci', 2);
        assert.equal(await store.findSession(HASH_B, 0), null);
      }));
  });

  describe('audit trail', () => {
    it('appends entries and lists them newest first with filters and a total', () =>
      withStore(open, async (store) => {
        const first = await store.appendAudit({
          at: 1,
          actor: 'ci',
          action: 'create',
          execution_id: 7,
          detail: { client: '::1' },
        });
        assert.deepEqual(first.detail, { client: '::1' });
        await store.appendAudit({ at: 2, actor: 'ops', action: 'cancel', execution_id: 7, detail: {} });
        await store.appendAudit({ at: 3, actor: 'ci', action: 'rerun', execution_id: 8, detail: { rerun_of: 7 } });
        const all = await store.listAudit({ limit: 10, offset: 0 });
        assert.deepEqual(
          all.entries.map((e) => e.action),
          ['rerun', 'cancel', 'create'],
        );
        assert.equal(all.total_count, 3);
        assert.deepEqual(
          (await store.listAudit({ limit: 10, offset: 0, actor: 'ci' })).entries.map((e) => e.at),
          [3, 1],
        );
        assert.deepEqual(
          (await store.listAudit({ limit: 10, offset: 0, execution_id: 7, action: 'cancel' })).entries.map(
            (e) => e.actor,
          ),
          ['ops'],
        );
        const page = await store.listAudit({ limit: 1, offset: 1 });
        assert.deepEqual([page.entries[0]?.action, page.total_count], ['cancel', 3]);
      }));

    it('keeps entries of an execution after it is deleted', () =>
      withStore(open, async (store) => {
        await store.appendAudit({ at: 1, actor: 'ci', action: 'delete', execution_id: 12345, detail: {} });
        assert.equal((await store.listAudit({ limit: 10, offset: 0, execution_id: 12345 })).total_count, 1);
      }));
  });
}
