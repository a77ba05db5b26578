// Owns the store contract's annotation and step-summary cases: kept rows, counts past the bound, summaries per step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Annotation } from '../core/annotation.js';
import { newExecution, withStore, type OpenStore } from './store-contract-fixtures.js';

function annotation(level: Annotation['level'], logLine: number, overrides: Partial<Annotation> = {}): Annotation {
  return {
    level,
    message: `${level} at ${logLine}`,
    file: null,
    line: null,
    col: null,
    end_line: null,
    end_col: null,
    title: null,
    step_index: null,
    log_line: logLine,
    at: 5,
    ...overrides,
  };
}

/** Registers the annotation and summary cases. */
export function describeAnnotationContract(open: OpenStore): void {
  describe('annotations and step summaries', () => {
    it('keeps annotations in the order reported with every field, and counts those not kept too', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const first = annotation('error', 3, {
          file: 'src/a.ts',
          line: 3,
          col: 7,
          end_line: 4,
          end_col: 2,
          title: 'Type error',
          step_index: 0,
        });
        await store.saveAnnotation(id, first, true);
        await store.saveAnnotation(id, annotation('warning', 4), true);
        await store.saveAnnotation(id, annotation('warning', 5), false);
        await store.saveAnnotation(id, annotation('notice', 6), false);
        const page = await store.listAnnotations(id, { limit: 10, offset: 0 });
        assert.equal(page.kept_count, 2);
        assert.deepEqual(
          page.annotations.map(({ id: _id, ...rest }) => rest),
          [
            { ...first, execution_id: id },
            { ...annotation('warning', 4), execution_id: id },
          ],
        );
        assert.deepEqual((await store.getExecution(id))?.annotation_counts, { error: 1, warning: 2, notice: 1 });
        assert.deepEqual(
          (await store.listAnnotations(id, { limit: 1, offset: 1 })).annotations.map((row) => row.log_line),
          [4],
        );
      }));

    it('stores one summary per step, a later one replacing it, and deletes both with the execution', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        await store.saveStepSummary(id, { step_index: 1, markdown: '# old', truncated: false });
        await store.saveStepSummary(id, { step_index: 1, markdown: '# new', truncated: true });
        await store.saveStepSummary(id, { step_index: 0, markdown: '| a |', truncated: false });
        await store.saveAnnotation(id, annotation('error', 1), true);
        assert.deepEqual(await store.listStepSummaries(id), [
          { step_index: 0, markdown: '| a |', truncated: false },
          { step_index: 1, markdown: '# new', truncated: true },
        ]);
        assert.equal(await store.deleteExecution(id), true);
        assert.deepEqual(await store.listStepSummaries(id), []);
        assert.equal((await store.listAnnotations(id, { limit: 10, offset: 0 })).kept_count, 0);
      }));
  });
}
