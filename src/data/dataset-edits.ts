/** Applying the person's edits (relabel, exclude) to a dataset's splits, and checking a new edit. */
import { editKey } from '../shared/dataset-edits.ts';
import type { DatasetEdit, SplitName } from '../shared/types.ts';
import type { Dataset, StoredImage } from './dataset.ts';

const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];

function countsOf(images: readonly StoredImage[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const image of images) counts[image.classIndex] = (counts[image.classIndex] ?? 0) + 1;
  return counts;
}

/**
 * The dataset as edited: excluded images left out, relabelled ones with their new class, every
 * other image (and its pixels) shared with `dataset`. The split of each image stays as it was, so
 * runs on different edits still see the same validation and test images, less the excluded ones.
 * Edits naming an image the dataset does not hold change nothing. No edits: `dataset` itself.
 */
export function applyDatasetEdits(dataset: Dataset, edits: readonly DatasetEdit[] | undefined): Dataset {
  if (!edits || edits.length === 0) return dataset;
  const byImage = new Map(edits.map((e) => [editKey(e), e]));
  const edit = (split: SplitName, images: readonly StoredImage[]): StoredImage[] =>
    images.flatMap((image) => {
      const e = byImage.get(editKey({ split, path: image.path }));
      if (!e) return [image];
      return e.to === null ? [] : [{ ...image, classIndex: e.to }];
    });
  const splits = {
    train: edit('train', dataset.splits.train),
    validation: edit('validation', dataset.splits.validation),
    test: edit('test', dataset.splits.test),
  };
  const n = dataset.classes.length;
  const counts = { train: countsOf(splits.train, n), validation: countsOf(splits.validation, n), test: countsOf(splits.test, n) };
  return { ...dataset, splits, summary: { ...dataset.summary, counts } };
}

/**
 * The edit list after relabelling image `path` of `split` to `to` (null: exclude it): checked
 * against the dataset, replacing an earlier edit of the same image; back to its own label removes
 * the edit. Throws, in words, for an image or class the dataset does not have.
 */
export function withEdit(
  dataset: Dataset,
  edits: readonly DatasetEdit[],
  change: { readonly split: SplitName; readonly path: string; readonly to: number | null },
): DatasetEdit[] {
  if (!SPLITS.includes(change.split)) throw new Error(`"${String(change.split)}" is not a split (train, validation or test).`);
  const image = dataset.splits[change.split].find((im) => im.path === change.path);
  if (!image)
    throw new Error(`The ${change.split} split of "${dataset.name}" holds no image "${change.path}"; it may have been loaded again since.`);
  if (change.to !== null && !(Number.isInteger(change.to) && change.to >= 0 && change.to < dataset.classes.length))
    throw new Error(`Class ${change.to} does not exist: "${dataset.name}" has classes 0–${dataset.classes.length - 1}.`);
  const rest = edits.filter((e) => editKey(e) !== editKey(change));
  if (change.to === image.classIndex) return rest;
  return [...rest, { split: change.split, path: change.path, from: image.classIndex, to: change.to }];
}

/** The edit list without image `path` of `split`'s edit (null target: without any). */
export function withoutEdit(
  edits: readonly DatasetEdit[],
  target: { readonly split: SplitName; readonly path: string } | null,
): DatasetEdit[] {
  return target ? edits.filter((e) => editKey(e) !== editKey(target)) : [];
}
