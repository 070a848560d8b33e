/**
 * Images judged from their bytes before decoding: too large (from the header alone), animated,
 * truncated, or not an image at all whatever the name says. Real decoding of the same files in
 * Chromium: tests/e2e/unusual-images.test.ts.
 */
import { strToU8 } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { isAnimated, MAX_IMAGE_PIXELS, tooLargeReason } from './image-header.ts';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, makeZip, tinyPng } from './testing/zips.ts';

/** A GIF of `frames` 4×4 frames, no colour tables (the header decoder reads only the size). */
function gif(frames: number): Uint8Array {
  const bytes = [...strToU8('GIF89a'), 4, 0, 4, 0, 0, 0, 0];
  bytes.push(0x21, 0xff, 11, ...strToU8('NETSCAPE2.0'), 3, 1, 0, 0, 0);
  for (let f = 0; f < frames; f++) bytes.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 4, 0, 4, 0, 0, 2, 2, 0x4c, 0x01, 0);
  bytes.push(0x3b);
  return new Uint8Array(bytes);
}

/** `tinyPng` with an acTL chunk (APNG) declaring `frames` frames before IEND. */
function apng(frames: number): Uint8Array {
  const png = tinyPng(4, 4);
  const chunk = new Uint8Array(20);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 8);
  chunk.set(strToU8('acTL'), 4);
  view.setUint32(8, frames);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, 33));
  out.set(chunk, 33);
  out.set(png.subarray(33), 33 + chunk.length);
  return out;
}

const importZip = (files: Record<string, Uint8Array | string>, decode = headerDecoder) =>
  importDataset(archiveSource('faces.zip', makeZip({ ...classFolders('', ['happy', 'sad'], 2), ...files })), { seed: 1 }, { decode });

describe('images judged before decoding', () => {
  it('skips a 20,000 x 20,000 PNG from its header, without decoding it', async () => {
    const decode = vi.fn(headerDecoder);
    const { summary } = await importZip({ 'happy/huge.png': tinyPng(20_000, 20_000) }, decode);
    expect(summary.skipped).toEqual([
      {
        path: 'happy/huge.png',
        reason:
          '20,000 × 20,000 pixels, over the 50-megapixel limit for one image: not decoded (it would take 1.5 GB of memory). Downscale it (the model sees at most 512 px) and add it again',
      },
    ]);
    expect(decode.mock.calls.map(([, path]) => path)).not.toContain('happy/huge.png');
  });

  it('decodes an image at the limit', () => {
    expect(tooLargeReason(tinyPng(10_000, MAX_IMAGE_PIXELS / 10_000))).toBeNull();
    expect(tooLargeReason(tinyPng(10_000, MAX_IMAGE_PIXELS / 10_000 + 1))).toMatch(/over the 50-megapixel limit/);
  });

  it('uses the first frame of animated images and says so once', async () => {
    const { summary } = await importZip({ 'happy/wave.gif': gif(3), 'sad/blink.png': apng(2), 'sad/still.gif': gif(1) });
    expect(summary.skipped).toEqual([]);
    expect(summary.warnings).toContain('2 images are animated in "faces.zip" (e.g. "happy/wave.gif"): the first frame of each was used.');
  });

  it('tells animated from still GIF, APNG and WebP', () => {
    expect([gif(1), gif(2)].map((b) => isAnimated(b, 'gif'))).toEqual([false, true]);
    expect([tinyPng(4, 4), apng(1), apng(2)].map((b) => isAnimated(b, 'png'))).toEqual([false, false, true]);
    const webp = (flags: number) =>
      new Uint8Array([...strToU8('RIFF'), 30, 0, 0, 0, ...strToU8('WEBPVP8X'), 10, 0, 0, 0, flags, 0, 0, 0, 3, 0, 0, 3, 0, 0]);
    expect([webp(0), webp(0x02), webp(0x10)].map((b) => isAnimated(b, 'webp'))).toEqual([false, true, false]);
  });

  it('skips a truncated PNG with its reason', async () => {
    const { summary } = await importZip({ 'sad/cut.png': tinyPng(48, 48).subarray(0, 30) });
    expect(summary.skipped).toEqual([{ path: 'sad/cut.png', reason: 'truncated PNG (no IEND chunk)' }]);
  });

  it('skips an SVG renamed .png, sniffed by content, naming what it is', async () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><circle r="20"/></svg>';
    const { summary } = await importZip({ 'happy/drawing.png': svg, 'sad/notes.jpg': 'just text' });
    expect(summary.skipped).toEqual([
      {
        path: 'happy/drawing.png',
        reason: 'not a readable image: its content is an SVG drawing, whatever its name says; export it as PNG or JPEG',
      },
      { path: 'sad/notes.jpg', reason: 'not a readable image (its content is not JPEG, PNG, GIF, WebP or BMP)' },
    ]);
  });
});
