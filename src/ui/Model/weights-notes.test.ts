import { describe, expect, it } from 'vitest';
import type { WeightsInfo } from '../../shared/types.ts';
import { weightsNotes } from './weights-notes.ts';

const info = (patch: Partial<WeightsInfo>): WeightsInfo => ({
  source: 'dropped-file',
  label: 'checkpoint.pth (dropped file)',
  pretrained: false,
  parameterCount: 23_522_375,
  ...patch,
});

describe('weightsNotes', () => {
  it('lists what reading the file did, then the fc when it fits the dataset', () => {
    expect(weightsNotes(info({ notes: ['removed DataParallel’s "module." prefixes'], fcClasses: 7 }), 7)).toEqual([
      'removed DataParallel’s "module." prefixes',
      'fc: 7 classes',
    ]);
  });

  it('says a run replaces an fc whose class count differs from the dataset’s', () => {
    expect(weightsNotes(info({ fcClasses: 1000 }), 5)).toEqual([
      'The file’s fc has 1000 classes and the dataset 5: each run replaces it with a new 5-way head, randomly initialised.',
    ]);
  });

  it('says nothing of an fc that random initialisation does not have', () => {
    expect(weightsNotes(info({ source: 'random-init', fcClasses: 7 }), null)).toEqual([]);
    expect(weightsNotes(info({}), 7)).toEqual([]);
  });
});
