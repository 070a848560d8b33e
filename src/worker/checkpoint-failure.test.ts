import { describe, expect, it } from 'vitest';
import { differencesFromReadme } from '../../tests/bad-inputs-table.ts';
import { checkpointPlace, checkpointsStoppedNotice, isQuotaError } from './checkpoint-failure.ts';

const QUOTA_ROW = 'IndexedDB quota exhausted mid-checkpoint';

describe('the notice when checkpoints stop', () => {
  it('names a full quota however the engine words it, and any other failure by its message', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('Quota exceeded while writing'))).toBe(true);
    expect(isQuotaError(new DOMException('Internal error committing the transaction', 'UnknownError'))).toBe(false);
  });

  it("says where the failed and the kept checkpoints stand and what to do, as README's table of bad inputs quotes it", () => {
    expect(checkpointPlace({ epoch: 2, batch: 12 })).toBe('after batch 12 of epoch 3');
    expect(checkpointPlace({ epoch: 2, batch: 0 })).toBe('at the end of epoch 2');
    const full = checkpointsStoppedNotice(4, 'after batch 30 of epoch 3', new DOMException('full', 'QuotaExceededError'), {
      epoch: 2,
      batch: 12,
    });
    expect(full.message).toMatch(
      /^Run 4's checkpoint after batch 30 of epoch 3 could not be saved: the browser's storage for this page is full\./,
    );
    expect(full.message).toMatch(/its last one, after batch 12 of epoch 3, is kept, and Resume continues from it/);
    expect(full.hint).toMatch(/^To make room, delete old runs, their checkpoints or the dataset in the Storage panel/);
    expect(differencesFromReadme('src/worker/checkpoint-failure.test.ts', new Map([[QUOTA_ROW, full.message]]))).toEqual([]);
    const other = checkpointsStoppedNotice(1, 'at the end of epoch 1', new Error('Internal error.'), null);
    expect(other.message).toBe(
      "Run 1's checkpoint at the end of epoch 1 could not be saved: the browser refused the write: Internal error. Run 1 trains on without checkpoints. It had none saved, so it cannot resume after a reload, and its weights are in this tab only: export what you need before reloading.",
    );
    expect(other.hint).toMatch(/Storage panel/);
  });
});
