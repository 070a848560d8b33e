import { describe, expect, it, vi } from 'vitest';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, makeZip, patchCentralDirectory, tinyJpeg } from './testing/zips.ts';

const importZip = (bytes: Uint8Array, options = {}, name = 'faces.zip') =>
  importDataset(archiveSource(name, bytes), options, { decode: headerDecoder });
const twoClasses = () => classFolders('', ['happy', 'sad'], 3);

describe('zip errors', () => {
  it('refuses a file that is neither a zip nor a CSV, saying what to drop instead', async () => {
    await expect(importZip(new TextEncoder().encode('hello world'), {}, 'notes.bin')).rejects.toThrow(
      /not a zip archive or a CSV.*Drop a \.zip/,
    );
  });

  it('refuses a .zip without the zip signature', async () => {
    await expect(importZip(tinyJpeg(4, 4))).rejects.toThrow(/named like a zip but is not one.*Re-download/);
  });

  it('refuses a truncated zip whose central directory is missing', async () => {
    const zip = makeZip(twoClasses());
    await expect(importZip(zip.subarray(0, zip.length - 40))).rejects.toThrow(/not a readable zip \(.*central directory.*\).*re-create/);
  });

  it('refuses a zip bomb from the central directory, before inflating, naming size and limit', async () => {
    const zip = patchCentralDirectory(makeZip(twoClasses()), (view, at) => view.setUint32(at + 24, 0xfffffff0, true));
    const decode = vi.fn(headerDecoder);
    const onProgress = vi.fn();
    await expect(importDataset(archiveSource('bomb.zip', zip), {}, { decode, onProgress })).rejects.toThrow(
      /"bomb\.zip" would expand to 24 GB, over the 4\.0 GB import limit.*maxUncompressedBytes/,
    );
    expect(decode).not.toHaveBeenCalled();
    expect(onProgress).not.toHaveBeenCalled();
  });

  it('applies a custom uncompressed-size limit', async () => {
    await expect(importZip(makeZip(twoClasses()), { maxUncompressedBytes: 100 })).rejects.toThrow(/over the 100 B import limit/);
  });

  it('refuses encrypted entries with a way out', async () => {
    const zip = patchCentralDirectory(makeZip(twoClasses()), (view, at) => view.setUint16(at + 8, view.getUint16(at + 8, true) | 1, true));
    await expect(importZip(zip)).rejects.toThrow(/password-protected \(6 encrypted entries.*re-zip it without a password/);
  });

  it('refuses a single entry too large to hold in memory', async () => {
    const zip = patchCentralDirectory(makeZip({ 'a/x.jpg': tinyJpeg(4, 4) }), (view, at) => view.setUint32(at + 24, 0x60000000, true));
    await expect(importZip(zip)).rejects.toThrow(/"a\/x\.jpg" .* is 1\.5 GB uncompressed, too large to hold in browser memory/);
  });

  it('says what was found at the top level when there are no images', async () => {
    const zip = makeZip({
      'README.md': '# hi',
      'docs/a.txt': 'x',
      '__MACOSX/._README.md': 'x',
    });
    await expect(importZip(zip)).rejects.toThrow(
      /No images found in "faces\.zip"\. Its top level holds: README\.md, docs\/, __MACOSX\/\. Expected folders/,
    );
  });

  it('refuses an empty zip', async () => {
    await expect(importZip(makeZip({}))).rejects.toThrow(/No images found.*It is empty/);
  });

  it('refuses a single class', async () => {
    await expect(importZip(makeZip(classFolders('', ['happy'], 3)))).rejects.toThrow(
      /only one class \("happy"\); a classifier needs at least 2/,
    );
  });

  it('refuses a class folder that holds only junk, naming it', async () => {
    const zip = makeZip({
      ...twoClasses(),
      'fear/.DS_Store': 'x',
      'fear/notes.txt': 'x',
      'fear/broken.jpg': tinyJpeg(48, 48, { truncated: true }),
    });
    await expect(importZip(zip)).rejects.toThrow(/class folder "fear" in "faces\.zip" contains no usable images.*remove that folder/);
  });

  it('refuses an empty class folder listed as a directory entry', async () => {
    const zip = makeZip({
      ...classFolders('train/', ['happy', 'sad'], 2),
      'train/fear/': new Uint8Array(0),
    });
    await expect(importZip(zip)).rejects.toThrow(/class folder "fear"/);
  });

  it('turns an allocation failure into an out-of-memory message', async () => {
    const decode = async (): Promise<never> => {
      throw new RangeError('Array buffer allocation failed');
    };
    await expect(importDataset(archiveSource('faces.zip', makeZip(twoClasses())), {}, { decode })).rejects.toThrow(
      /^Ran out of memory while reading "(happy|sad)\/\w+\.jpg"\. Close other tabs, or import a smaller dataset/,
    );
  });
});
