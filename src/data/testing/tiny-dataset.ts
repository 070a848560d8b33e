import type { DatasetSummary, SplitName } from '../../shared/types.ts';
import type { Dataset, StoredImage } from '../dataset.ts';

/** A 1x1 gray image at `path` of class `classIndex`, its one pixel the class index. */
export const tinyImage = (path: string, classIndex: number): StoredImage => ({
  path,
  classIndex,
  width: 1,
  height: 1,
  channels: 1,
  pixels: Uint8Array.of(classIndex),
});

/** Two classes a and b; train a/0 a/1 b/0, validation a/2 b/1, test b/2. */
export function tinyDataset(): Dataset {
  const splits: Record<SplitName, StoredImage[]> = {
    train: [tinyImage('a/0.png', 0), tinyImage('a/1.png', 0), tinyImage('b/0.png', 1)],
    validation: [tinyImage('a/2.png', 0), tinyImage('b/1.png', 1)],
    test: [tinyImage('b/2.png', 1)],
  };
  const summary = {
    name: 'tiny',
    classes: ['a', 'b'],
    counts: { train: [2, 1], validation: [1, 1], test: [0, 1] },
  } as unknown as DatasetSummary;
  return { name: 'tiny', classes: ['a', 'b'], splits, summary };
}
