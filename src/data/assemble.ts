/**
 * Turns labelled images into a `Dataset`: class list, class checks, the validation split
 * (carved from train when the data has none), warnings and the summary.
 */
import type { DatasetOptions, DatasetSummary, RawImage, SampleThumbnail, SkippedFile, SplitName } from '../shared/types.ts';
import type { Dataset, StoredImage } from './dataset.ts';
import { carveTrain } from './group-split.ts';

const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];
const SAMPLES_PER_CLASS = 4;

/** One image with its split and class name, before classes get indices. */
export interface LabelledImage {
  readonly split: SplitName;
  readonly className: string;
  readonly path: string;
  readonly image: RawImage;
}

/** Everything a reader (folders or CSV) collected. */
export interface CollectedImages {
  readonly name: string;
  readonly format: DatasetSummary['format'];
  readonly images: readonly LabelledImage[];
  /** Class folders seen per split, including ones whose files were all skipped. */
  readonly classFolders: ReadonlyMap<string, ReadonlySet<SplitName>>;
  /** Splits the data itself provides. */
  readonly splitsPresent: ReadonlySet<SplitName>;
  readonly skipped: readonly SkippedFile[];
  readonly warnings: readonly string[];
  /** Fixed class order (CSV); classes without images are then dropped with a warning instead of failing. */
  readonly fixedClassOrder?: readonly string[];
}

const quoteList = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

function chooseClasses(collected: CollectedImages, imageCounts: ReadonlyMap<string, number>, warnings: string[]): string[] {
  if (collected.fixedClassOrder) {
    const missing = collected.fixedClassOrder.filter((c) => !imageCounts.has(c));
    if (missing.length > 0) warnings.push(`No images of ${quoteList(missing)}: training with the other classes only.`);
    return collected.fixedClassOrder.filter((c) => imageCounts.has(c));
  }
  const classes = [...new Set([...collected.classFolders.keys(), ...imageCounts.keys()])].sort();
  const empty = classes.filter((c) => !imageCounts.has(c));
  if (empty.length > 0) {
    throw new Error(
      `The class folder${empty.length > 1 ? 's' : ''} ${quoteList(empty)} in "${collected.name}" contain${empty.length > 1 ? '' : 's'} no usable images` +
        ` (see the skipped files for why). Add images to ${empty.length > 1 ? 'them' : 'it'} or remove ${empty.length > 1 ? 'those folders' : 'that folder'}.`,
    );
  }
  return classes;
}

function missingClassWarnings(
  splits: Record<SplitName, StoredImage[]>,
  classes: readonly string[],
  present: Iterable<SplitName>,
  explained: ReadonlySet<string>,
): string[] {
  const warnings: string[] = [];
  for (const split of present) {
    const seen = new Set(splits[split].map((image) => image.classIndex));
    const missing = classes.filter((name, index) => !seen.has(index) && !(split === 'validation' && explained.has(name)));
    const them = missing.length > 1 ? 'those classes' : 'that class';
    // Without training images a class can never be predicted; elsewhere it is only not measured.
    const consequence =
      split === 'train'
        ? `the model cannot learn ${them} (add training images of ${them}, or remove ${them} from every split)`
        : `that split cannot measure ${them}`;
    if (missing.length > 0) warnings.push(`No ${quoteList(missing)} images in the ${split} split: ${consequence}.`);
  }
  return warnings;
}

/** Classes with exactly one train image: carving never moves it, so validation cannot hold that class. */
function singleImageClasses(train: readonly StoredImage[], classes: readonly string[]): string[] {
  const counts = classes.map(() => 0);
  for (const image of train) counts[image.classIndex] = (counts[image.classIndex] ?? 0) + 1;
  return classes.filter((_, index) => counts[index] === 1);
}

/**
 * Up to 4 train images per class, with copied pixels: the summary is posted to the page and its
 * buffers are transferred, which would otherwise detach the worker's own images.
 */
function thumbnails(train: readonly StoredImage[], classCount: number): SampleThumbnail[] {
  const taken = new Array<number>(classCount).fill(0);
  const samples: SampleThumbnail[] = [];
  for (const image of train) {
    if ((taken[image.classIndex] ?? SAMPLES_PER_CLASS) >= SAMPLES_PER_CLASS) continue;
    taken[image.classIndex] = (taken[image.classIndex] ?? 0) + 1;
    const { width, height, channels, classIndex, path } = image;
    samples.push({ width, height, channels, classIndex, path, pixels: image.pixels.slice() });
  }
  return samples;
}

/** Builds the dataset and its summary. Throws a user-facing Error for fewer than 2 classes or an empty class folder. */
export function assembleDataset(collected: CollectedImages, options: DatasetOptions, startedAt: number): Dataset {
  const warnings = [...collected.warnings];
  const imageCounts = new Map<string, number>();
  for (const { className } of collected.images) imageCounts.set(className, (imageCounts.get(className) ?? 0) + 1);
  const classes = chooseClasses(collected, imageCounts, warnings);
  if (classes.length < 2) {
    throw new Error(
      `"${collected.name}" has ${classes.length === 1 ? `only one class (${quoteList(classes)})` : 'no classes'}; a classifier needs at least 2.` +
        ' Put each expression in its own folder (e.g. angry/, happy/), optionally inside train/ and test/ folders.',
    );
  }
  const indexOf = new Map(classes.map((name, index) => [name, index]));
  const splits: Record<SplitName, StoredImage[]> = { train: [], validation: [], test: [] };
  for (const { split, className, path, image } of collected.images) {
    const classIndex = indexOf.get(className);
    if (classIndex !== undefined) splits[split].push({ ...image, classIndex, path });
  }
  const validationFromTrain = !collected.splitsPresent.has('validation');
  const checked = SPLITS.filter((s) => collected.splitsPresent.has(s) || (s === 'validation' && options.validationFraction > 0));
  let splitBy: DatasetSummary['splitBy'];
  const singles = validationFromTrain && options.validationFraction > 0 ? singleImageClasses(splits.train, classes) : [];
  if (validationFromTrain) {
    const carved = carveTrain(splits.train, classes, options);
    splits.train = carved.train;
    splits.validation = carved.validation;
    splitBy = carved.splitBy;
    warnings.push(...carved.warnings);
  }
  if (singles.length === classes.length) {
    warnings.push(
      'No validation images: every class has a single image, which training needs. Add images (at least 2 per class) to measure progress while training.',
    );
  } else if (splits.validation.length === 0) {
    warnings.push('No validation images: set the validation fraction above 0 to measure progress while training.');
  } else {
    const them = singles.length > 1 ? 'them' : 'it';
    if (singles.length > 0) {
      warnings.push(
        `${quoteList(singles)} ha${singles.length > 1 ? 've' : 's'} a single image, which stays in train (a class needs 2 images to give one to` +
          ` validation), so the validation split cannot measure ${them}. Add images of ${them}.`,
      );
    }
    const single = new Set(singles);
    warnings.push(...missingClassWarnings(splits, classes, checked, single));
  }
  if (!collected.splitsPresent.has('test')) warnings.push('No test split found: final results will come from the validation split.');
  const counts = {} as Record<SplitName, number[]>;
  const sizes: Record<string, number> = {};
  let bytesHeld = 0;
  for (const split of SPLITS) {
    counts[split] = classes.map(() => 0);
    for (const image of splits[split]) {
      counts[split][image.classIndex] = (counts[split][image.classIndex] ?? 0) + 1;
      const size = `${image.width}x${image.height}`;
      sizes[size] = (sizes[size] ?? 0) + 1;
      bytesHeld += image.pixels.byteLength;
    }
  }
  const summary: DatasetSummary = {
    name: collected.name,
    format: collected.format,
    classes,
    counts,
    validationFromTrain,
    skipped: collected.skipped,
    sizes,
    importMs: Math.round(Date.now() - startedAt),
    bytesHeld,
    warnings,
    samples: thumbnails(splits.train, classes.length),
    ...(splitBy ? { splitBy } : {}),
  };
  return { name: collected.name, classes, splits, summary };
}
