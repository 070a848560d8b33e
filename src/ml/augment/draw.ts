import type { AugmentConfig } from '../../shared/types.ts';
import type { Random } from '../../shared/random.ts';
import { randomInt } from '../train/random.ts';
import { flipMatrix, IDENTITY, multiply, rotationMatrix, solveHomography, type Matrix3, type Point } from './homography.ts';

/** The random choices for one image. */
export interface AugmentDraw {
  readonly flip: boolean;
  /** Degrees, counter-clockwise; 0 when rotation is off. */
  readonly angle: number;
  /** Where the corners [tl, tr, br, bl] of the input land in the output, or null (no perspective). */
  readonly corners: readonly Point[] | null;
}

/** Default settings: flip p 0.2, ±5° rotation, perspective distortion 0.1 with p 0.25 (the seed study's). */
export const DEFAULT_AUGMENT: AugmentConfig = {
  hflip: { enabled: true, p: 0.2 },
  rotate: { enabled: true, degrees: 5 },
  perspective: { enabled: true, distortion: 0.1, p: 0.25 },
};

export { augmentationActive } from '../../shared/run-naming.ts';

/**
 * Draws one image's parameters with torchvision semantics (RandomHorizontalFlip, RandomRotation
 * uniform in (−deg, +deg), RandomPerspective.get_params). Always consumes 11 numbers, whatever is
 * enabled, so toggling one transform does not change the draws of the others.
 */
export function drawAugmentation(random: Random, config: AugmentConfig, width: number, height: number): AugmentDraw {
  const uFlip = random();
  const uAngle = random();
  const uPerspective = random();
  const { distortion } = config.perspective;
  const bw = Math.floor(distortion * Math.floor(width / 2));
  const bh = Math.floor(distortion * Math.floor(height / 2));
  const corners: Point[] = [
    [randomInt(random, 0, bw + 1), randomInt(random, 0, bh + 1)],
    [randomInt(random, width - bw - 1, width), randomInt(random, 0, bh + 1)],
    [randomInt(random, width - bw - 1, width), randomInt(random, height - bh - 1, height)],
    [randomInt(random, 0, bw + 1), randomInt(random, height - bh - 1, height)],
  ];
  const degrees = config.rotate.degrees;
  return {
    flip: config.hflip.enabled && uFlip < config.hflip.p,
    angle: config.rotate.enabled ? -degrees + 2 * degrees * uAngle : 0,
    corners: config.perspective.enabled && uPerspective < config.perspective.p ? corners : null,
  };
}

/**
 * Output→input homography of flip, then rotation, then perspective (torchvision's pipeline order):
 * out(p) = in(F·R·P·p). Null when the draw changes nothing.
 */
export function drawToMatrix(draw: AugmentDraw, width: number, height: number): Matrix3 | null {
  if (!draw.flip && draw.angle === 0 && draw.corners === null) return null;
  const start: Point[] = [
    [0, 0],
    [width - 1, 0],
    [width - 1, height - 1],
    [0, height - 1],
  ];
  const perspective = draw.corners ? solveHomography(draw.corners, start) : IDENTITY;
  const rotation = draw.angle !== 0 ? rotationMatrix(draw.angle, width, height) : IDENTITY;
  const flip = draw.flip ? flipMatrix(width) : IDENTITY;
  return multiply(flip, multiply(rotation, perspective));
}
