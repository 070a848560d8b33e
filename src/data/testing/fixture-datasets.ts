/**
 * Test support: small datasets generated at test time (never committed) that take the same code
 * paths as the real FER2013 files: a root folder, split folders, class folders alone, a FER2013
 * CSV with all three Usage values, and CK+-style video frames with subject-coded file names.
 * Images are the demo set's drawn 48×48 gray faces, encoded as real PNGs; same arguments, same bytes.
 */
import { zipSync } from 'fflate';
import { FER2013_CLASSES } from '../csv-import.ts';
import { createDemoDataset } from '../demo-dataset.ts';
import { encodePng } from './png.ts';
import { FIXTURE_ZIP_OPTIONS } from './zips.ts';

const SIDE = 48;

/** `perClass` drawn faces (48×48 gray pixels) for each of the 7 FER2013 classes, in FER2013 order. */
export function drawnFaces(perClass: number, seed = 1): Uint8Array[][] {
  const faces: Uint8Array[][] = FER2013_CLASSES.map(() => []);
  for (let round = 0; faces.some((f) => f.length < perClass); round++) {
    const demo = createDemoDataset(seed + round * 7919);
    for (const split of ['train', 'validation', 'test'] as const) {
      for (const image of demo.splits[split]) {
        const list = faces[FER2013_CLASSES.indexOf(demo.classes[image.classIndex] ?? '')];
        if (list && list.length < perClass) list.push(image.pixels);
      }
    }
  }
  return faces;
}

const png = (pixels: Uint8Array) => encodePng(SIDE, SIDE, 1, pixels);

/** Options of `folderZip`: per-split image counts per class, the class names, and an optional root folder. */
export interface FolderZipOptions {
  /** Images per class in each split folder; `{ all: n }` puts class folders at the top (no split folders). */
  readonly perClass: { readonly train?: number; readonly val?: number; readonly test?: number; readonly all?: number };
  /** Class folder names (at most 7); the first classes of FER2013's alphabetical folder names by default. */
  readonly classes?: readonly string[];
  /** A folder every entry sits in, as in `fer2013/train/angry/…`. */
  readonly root?: string;
  readonly seed?: number;
}

/** A zip of class folders of PNG faces, e.g. `root/train/angry/angry-3.png`. */
export function folderZip(options: FolderZipOptions): Uint8Array {
  const classes = options.classes ?? [...FER2013_CLASSES].sort();
  const counts = Object.entries(options.perClass).filter(([, n]) => (n ?? 0) > 0) as [string, number][];
  const faces = drawnFaces(
    counts.reduce((sum, [, n]) => sum + n, 0),
    options.seed,
  );
  const files: Record<string, Uint8Array> = {};
  classes.forEach((name, c) => {
    let taken = 0;
    for (const [split, n] of counts) {
      const folder = [options.root, split === 'all' ? undefined : split, name].filter(Boolean).join('/');
      for (let i = 0; i < n; i++) files[`${folder}/${name}-${taken + i}.png`] = png(faces[c % 7]?.[taken + i] as Uint8Array);
      taken += n;
    }
  });
  return zipSync(files, FIXTURE_ZIP_OPTIONS);
}

/** A FER2013 CSV (`emotion,pixels,Usage`) with `perClass[usage]` rows of each of the 7 classes per Usage value. */
export function ferCsv(
  perClass: { readonly Training: number; readonly PublicTest: number; readonly PrivateTest: number },
  seed = 1,
): string {
  const total = perClass.Training + perClass.PublicTest + perClass.PrivateTest;
  const faces = drawnFaces(total, seed);
  const rows = ['emotion,pixels,Usage'];
  for (const usage of ['Training', 'PublicTest', 'PrivateTest'] as const) {
    const from = usage === 'Training' ? 0 : usage === 'PublicTest' ? perClass.Training : perClass.Training + perClass.PublicTest;
    for (let i = 0; i < perClass[usage]; i++) {
      faces.forEach((list, label) => rows.push(`${label},${Array.from(list[from + i] as Uint8Array).join(' ')},${usage}`));
    }
  }
  return `${rows.join('\n')}\n`;
}

/** Options of `frameSequenceZip`: subjects, the classes each subject shows, and frames per sequence. */
export interface FrameSequenceOptions {
  /** Subject ids, e.g. ['S010', 'S011']. */
  readonly subjects: readonly string[];
  /** Class folder names; subject i shows class (i + k) % classes.length for k < sequencesPerSubject. */
  readonly classes: readonly string[];
  readonly sequencesPerSubject: number;
  readonly framesPerSequence: number;
  readonly seed?: number;
}

/**
 * CK+-style frames in class folders: `anger/S010_004_00000017.png` (subject, sequence, frame).
 * Frames of one sequence are the same face with a little noise, as consecutive video frames are.
 */
export function frameSequenceZip(options: FrameSequenceOptions): Uint8Array {
  const { subjects, classes, sequencesPerSubject, framesPerSequence } = options;
  const faces = drawnFaces(subjects.length * sequencesPerSubject, options.seed);
  const files: Record<string, Uint8Array> = {};
  subjects.forEach((subject, s) => {
    for (let k = 0; k < sequencesPerSubject; k++) {
      const classIndex = (s + k) % classes.length;
      const base = faces[classIndex % 7]?.[s * sequencesPerSubject + k] as Uint8Array;
      const sequence = String(k + 1).padStart(3, '0');
      for (let f = 0; f < framesPerSequence; f++) {
        const frame = base.map((v, i) => Math.max(0, Math.min(255, v + ((i * 31 + f * 17) % 5) - 2)));
        files[`${classes[classIndex]}/${subject}_${sequence}_${String(f + 1).padStart(8, '0')}.png`] = png(frame);
      }
    }
  });
  return zipSync(files, FIXTURE_ZIP_OPTIONS);
}
