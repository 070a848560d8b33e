/** Seeded, stratified carving of a validation split out of train. */
import type { StoredImage } from './dataset.ts';
import { fnv1a } from '../shared/hash.ts';
import { createRandom, shuffleInPlace } from '../shared/random.ts';

/** Result of carving: the images left in train and those moved to validation. */
export interface CarvedSplit {
  readonly train: StoredImage[];
  readonly validation: StoredImage[];
}

/**
 * How many of a class's `count` train images go to validation: round(count × fraction),
 * at least 1 when the class has 2 or more images and the fraction is positive, and never all of them.
 */
export function validationCountFor(count: number, fraction: number): number {
  if (fraction <= 0 || count < 2) return 0;
  return Math.min(count - 1, Math.max(1, Math.round(count * fraction)));
}

/**
 * Moves `validationCountFor(n, fraction)` images of each class from train to validation.
 * Deterministic: each class is sorted by path, then shuffled with mulberry32 seeded from
 * `seed` and the class name, so the same seed and files give the same split regardless of
 * the order files arrived in, and adding a class does not reshuffle the others.
 * Train keeps its original order.
 */
export function carveValidation(train: readonly StoredImage[], classes: readonly string[], fraction: number, seed: number): CarvedSplit {
  const byClass = classes.map((): StoredImage[] => []);
  for (const image of train) byClass[image.classIndex]?.push(image);
  const chosen = new Set<StoredImage>();
  byClass.forEach((images, classIndex) => {
    images.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const random = createRandom((seed ^ fnv1a(classes[classIndex] ?? '')) >>> 0);
    const picked = shuffleInPlace(images, random).slice(0, validationCountFor(images.length, fraction));
    for (const image of picked) chosen.add(image);
  });
  return {
    train: train.filter((image) => !chosen.has(image)),
    validation: train.filter((image) => chosen.has(image)),
  };
}
