// Owns describeStoreContract: the node:test suite every Store implementation must pass.
import { describe } from 'node:test';
import { describeAnnotationContract } from './store-contract-annotations.js';
import { describeArtifactContract } from './store-contract-artifacts.js';
import { describeAuthContract } from './store-contract-auth.js';
import { describeExecutionContract } from './store-contract-executions.js';
import type { OpenStore } from './store-contract-fixtures.js';
import { describeLogChunkContract } from './store-contract-log-chunks.js';
import { describeListContract } from './store-contract-list.js';
import { describeLogSearchContract } from './store-contract-search.js';
import { describeStepAndLogContract } from './store-contract-logs.js';
import { describeRetentionContract } from './store-contract-retention.js';

export type { OpenStore } from './store-contract-fixtures.js';

/**
 * Registers the whole contract for one implementation; `open` must return a fresh, empty store
 * each time, and its `cleanup` must close the store and remove its data. `sealsOnAppend`: appends seal the
 * chunks they complete themselves, so only an unfinished chunk is left to the sealing calls.
 */
export function describeStoreContract(name: string, open: OpenStore, options: { sealsOnAppend?: boolean } = {}): void {
  describe(`Store contract: ${name}`, () => {
    describeExecutionContract(open);
    describeListContract(open);
    describeStepAndLogContract(open);
    describeLogChunkContract(open, options.sealsOnAppend ?? false);
    describeLogSearchContract(open);
    describeArtifactContract(open);
    describeAuthContract(open);
    describeAnnotationContract(open);
    describeRetentionContract(open);
  });
}
