/**
 * Drawing a Grad-CAM map over an image, the same way in the page (Try it, Evaluation), in the
 * worker (the overlay PNGs of `lab predict --cam`) and in the report: the map is scaled by its own
 * maximum and coloured with the Turbo colour map, then blended over the image with one opacity.
 */
import { interpolateTurbo } from 'd3-scale-chromatic';
import type { RawImage } from './types.ts';

let lut: Uint8Array | null = null;

/** Turbo sampled at 256 levels, RGB triplets. */
function turboLut(): Uint8Array {
  if (lut) return lut;
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const [r = 0, g = 0, b = 0] = (interpolateTurbo(i / 255).match(/\d+/g) ?? []).map(Number);
    table.set([r, g, b], i * 3);
  }
  lut = table;
  return table;
}

/** The map divided by its maximum (all zeros stay zeros): 0 = no evidence, 1 = the strongest. */
export function normalizedMap(map: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < map.length; i++) max = Math.max(max, map[i] ?? 0);
  const out = new Float32Array(map.length);
  if (max > 0) for (let i = 0; i < map.length; i++) out[i] = Math.max(0, (map[i] ?? 0) / max);
  return out;
}

/**
 * RGBA pixels of `image` with `map` (same width × height, row-major, any scale) blended over it:
 * (1 − opacity) · image + opacity · turbo(map / max(map)). Grayscale images are drawn gray.
 */
export function heatmapOverlay(image: RawImage, map: ArrayLike<number>, opacity: number): Uint8ClampedArray<ArrayBuffer> {
  const { width, height, channels, pixels } = image;
  if (map.length !== width * height) throw new Error(`the map has ${map.length} values for a ${width}×${height} image`);
  const alpha = Math.min(1, Math.max(0, opacity));
  const colours = turboLut();
  const levels = normalizedMap(map);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const level = Math.round((levels[i] ?? 0) * 255) * 3;
    for (let c = 0; c < 3; c++) {
      const base = pixels[i * channels + (channels === 1 ? 0 : c)] ?? 0;
      out[i * 4 + c] = (1 - alpha) * base + alpha * (colours[level + c] ?? 0);
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}
