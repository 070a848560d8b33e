import { describe, expect, it } from 'vitest';
import { describeEdits, editsFingerprint, editsMismatch } from '../shared/dataset-edits.ts';
import type { DatasetEdit } from '../shared/types.ts';
import type { StoredImage } from './dataset.ts';
import { applyDatasetEdits, withEdit, withoutEdit } from './dataset-edits.ts';
import { tinyDataset as dataset } from './testing/tiny-dataset.ts';

const paths = (images: readonly StoredImage[]) => images.map((im) => `${im.path}:${im.classIndex}`);

describe('applying dataset edits to the splits', () => {
  it('leaves excluded images out and gives relabelled ones their new class, in the split they were in', () => {
    const ds = dataset();
    let edits = withEdit(ds, [], { split: 'train', path: 'a/1.png', to: null });
    edits = withEdit(ds, edits, { split: 'validation', path: 'a/2.png', to: 1 });
    expect(edits).toEqual([
      { split: 'train', path: 'a/1.png', from: 0, to: null },
      { split: 'validation', path: 'a/2.png', from: 0, to: 1 },
    ]);
    const edited = applyDatasetEdits(ds, edits);
    expect(paths(edited.splits.train)).toEqual(['a/0.png:0', 'b/0.png:1']);
    expect(paths(edited.splits.validation)).toEqual(['a/2.png:1', 'b/1.png:1']);
    expect(paths(edited.splits.test)).toEqual(['b/2.png:1']);
    expect(edited.summary.counts).toEqual({ train: [1, 1], validation: [0, 2], test: [0, 1] });
    // The loaded dataset is not changed; unedited images share their pixels.
    expect(paths(ds.splits.train)).toEqual(['a/0.png:0', 'a/1.png:0', 'b/0.png:1']);
    expect(edited.splits.train[0]).toBe(ds.splits.train[0]);
  });

  it('without edits is the dataset itself; an edit of an image the dataset lacks changes nothing', () => {
    const ds = dataset();
    expect(applyDatasetEdits(ds, [])).toBe(ds);
    expect(applyDatasetEdits(ds, undefined)).toBe(ds);
    const other = applyDatasetEdits(ds, [{ split: 'test', path: 'a/0.png', from: 0, to: null }]);
    expect(paths(other.splits.train)).toEqual(paths(ds.splits.train));
    expect(other.splits.test).toHaveLength(1);
  });

  it('keeps one edit per image: a new one replaces it, back to its own label removes it, undo takes one or all back', () => {
    const ds = dataset();
    let edits = withEdit(ds, [], { split: 'train', path: 'b/0.png', to: 0 });
    edits = withEdit(ds, edits, { split: 'train', path: 'b/0.png', to: null });
    expect(edits).toEqual([{ split: 'train', path: 'b/0.png', from: 1, to: null }]);
    expect(withEdit(ds, edits, { split: 'train', path: 'b/0.png', to: 1 })).toEqual([]);
    edits = withEdit(ds, edits, { split: 'test', path: 'b/2.png', to: 0 });
    expect(withoutEdit(edits, { split: 'train', path: 'b/0.png' })).toEqual([{ split: 'test', path: 'b/2.png', from: 1, to: 0 }]);
    expect(withoutEdit(edits, null)).toEqual([]);
  });

  it('refuses, in words, an image or a class the dataset does not have', () => {
    const ds = dataset();
    expect(() => withEdit(ds, [], { split: 'train', path: 'b/2.png', to: null })).toThrow(
      /train split of "tiny" holds no image "b\/2.png"/,
    );
    expect(() => withEdit(ds, [], { split: 'train', path: 'a/0.png', to: 2 })).toThrow(/Class 2 does not exist: "tiny" has classes 0–1/);
  });
});

describe('edits as runs record them', () => {
  const a: DatasetEdit = { split: 'train', path: 'x', from: 0, to: null };
  const b: DatasetEdit = { split: 'test', path: 'y', from: 1, to: 0 };

  it('fingerprints a list whatever its order, and tells lists apart', () => {
    expect(editsFingerprint([a, b])).toBe(editsFingerprint([b, a]));
    expect(editsFingerprint([a])).not.toBe(editsFingerprint([b]));
    expect(editsFingerprint([])).toBe('none');
    expect(editsFingerprint([a])).toMatch(/^[0-9a-f]{8}$/);
    expect(describeEdits([a, b])).toBe('2 edits (1 excluded, 1 relabelled)');
    expect(describeEdits([b])).toBe('1 edit (1 relabelled)');
  });

  it('says when runs to compare trained on different edits, and names them', () => {
    expect(editsMismatch([{ number: 1 }, { number: 2, edits: [] }])).toBeNull();
    expect(
      editsMismatch([
        { number: 1, edits: [a] },
        { number: 2, edits: [a] },
      ]),
    ).toBeNull();
    const text = editsMismatch([{ number: 2, edits: [a, b] }, { number: 1 }, { number: 3 }]);
    expect(text).toContain(`runs 1, 3: no edits; run 2: edits ${editsFingerprint([a, b])}`);
  });
});
