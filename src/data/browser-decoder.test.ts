import { describe, expect, it } from 'vitest';
import { packPixels } from './browser-decoder.ts';
import { findTruncation, sniffImageFormat } from './image-sniff.ts';
import { tinyJpeg, tinyPng } from './testing/zips.ts';

const rgba = (...pixels: number[][]) => new Uint8ClampedArray(pixels.flat());

describe('packPixels (browser decoder readback)', () => {
  it('keeps one channel when every pixel is gray, dropping alpha', () => {
    const image = packPixels(rgba([10, 10, 10, 255], [200, 200, 200, 0]), 2, 1);
    expect(image).toEqual({
      width: 2,
      height: 1,
      channels: 1,
      pixels: new Uint8Array([10, 200]),
    });
  });

  it('keeps RGB when any pixel has colour', () => {
    const image = packPixels(rgba([10, 10, 10, 255], [200, 100, 50, 255]), 1, 2);
    expect(image.channels).toBe(3);
    expect(Array.from(image.pixels)).toEqual([10, 10, 10, 200, 100, 50]);
  });
});

describe('image sniffing', () => {
  it('recognises formats by content, not name', () => {
    expect(sniffImageFormat(tinyJpeg(2, 2))).toBe('jpeg');
    expect(sniffImageFormat(tinyPng(2, 2))).toBe('png');
    expect(sniffImageFormat(new TextEncoder().encode('GIF89a......'))).toBe('gif');
    expect(sniffImageFormat(new TextEncoder().encode('<html>'))).toBeNull();
  });

  it('flags truncated JPEG and PNG files but accepts padding after the JPEG end marker', () => {
    expect(findTruncation(tinyJpeg(2, 2, { truncated: true }), 'jpeg')).toMatch(/truncated JPEG/);
    const padded = new Uint8Array([...tinyJpeg(2, 2), 0, 0, 0, 0]);
    expect(findTruncation(padded, 'jpeg')).toBeNull();
    expect(findTruncation(tinyPng(2, 2).subarray(0, 30), 'png')).toMatch(/truncated PNG/);
  });
});
