import { describe, expect, it } from 'vitest';
import type { StoredImage } from './dataset.ts';
import { carveValidation, validationCountFor } from './split.ts';
import { createRandom, shuffleInPlace } from '../shared/random.ts';

const CLASSES = ['angry', 'happy', 'sad'];
const SIZES = [50, 7, 1];
const images: StoredImage[] = CLASSES.flatMap((name, classIndex) =>
  Array.from({ length: SIZES[classIndex] ?? 0 }, (_, i) => ({
    width: 1,
    height: 1,
    channels: 1 as const,
    pixels: new Uint8Array(1),
    classIndex,
    path: `${name}/${i}.jpg`,
  })),
);
const paths = (list: readonly StoredImage[]) => list.map((image) => image.path);

describe('seeded stratified validation split', () => {
  it('matches the reference sequence of mulberry32', () => {
    const random = createRandom(1);
    expect([random(), random(), random()].map((x) => x.toFixed(6))).toEqual(['0.627074', '0.002736', '0.527447']);
  });

  it('takes round(n × fraction) of each class, at least one when possible, never all', () => {
    const { train, validation } = carveValidation(images, CLASSES, 0.1, 9);
    const count = (list: readonly StoredImage[], c: number) => list.filter((image) => image.classIndex === c).length;
    expect([0, 1, 2].map((c) => count(validation, c))).toEqual([5, 1, 0]);
    expect([0, 1, 2].map((c) => count(train, c))).toEqual([45, 6, 1]);
    expect(new Set([...paths(train), ...paths(validation)]).size).toBe(58);
    expect(validationCountFor(10, 0)).toBe(0);
    expect(validationCountFor(2, 0.9)).toBe(1);
  });

  it('gives the same split for the same seed, whatever order the files arrived in', () => {
    const first = carveValidation(images, CLASSES, 0.2, 1234);
    const shuffled = shuffleInPlace([...images], createRandom(99));
    const again = carveValidation(shuffled, CLASSES, 0.2, 1234);
    expect(paths(again.validation).sort()).toEqual(paths(first.validation).sort());
  });

  it('gives a different split for a different seed', () => {
    const a = carveValidation(images, CLASSES, 0.2, 1);
    const b = carveValidation(images, CLASSES, 0.2, 2);
    expect(paths(a.validation).sort()).not.toEqual(paths(b.validation).sort());
  });
});
