import { describe, expect, it } from 'vitest';
import { checkpointPlace, checkpointsStoppedNotice, isQuotaError } from './checkpoint-failure.ts';

describe('the notice when checkpoints stop', () => {
  it('names a full quota however the engine words it, and any other failure by its message', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('Quota exceeded while writing'))).toBe(true);
    expect(isQuotaError(new DOMException('Internal error committing the transaction', 'UnknownError'))).toBe(false);
  });

  it('says where the failed and the kept checkpoints stand, and what to do', () => {
    expect(checkpointPlace({ epoch: 2, batch: 12 })).toBe('after batch 12 of epoch 3');
    expect(checkpointPlace({ epoch: 2, batch: 0 })).toBe('at the end of epoch 2');
    const full = checkpointsStoppedNotice(4, 'after batch 30 of epoch 3', new DOMException('full', 'QuotaExceededError'), {
      epoch: 2,
      batch: 12,
    });
    expect(full.message).toBe(
      "Run 4's checkpoint after batch 30 of epoch 3 could not be saved: the browser's storage for this page is full. Run 4 keeps training, but saves no more checkpoints. Its last checkpoint, after batch 12 of epoch 3, is kept: if the page reloads before the run ends, Resume continues from there. Once the run ends, its weights are held in this tab only (that older checkpoint is then deleted): export what you need before reloading.",
    );
    expect(full.hint).toMatch(/^To make room, delete old runs, their checkpoints or the stored dataset in the Storage panel/);
    const other = checkpointsStoppedNotice(1, 'at the end of epoch 1', new Error('Internal error.'), null);
    expect(other.message).toBe(
      "Run 1's checkpoint at the end of epoch 1 could not be saved: the browser refused the write: Internal error. Run 1 keeps training, but saves no more checkpoints. It has no earlier checkpoint, so it cannot resume after a reload, and its weights are held in this tab only: export what you need before reloading.",
    );
    expect(other.hint).toMatch(/Storage panel/);
  });
});
