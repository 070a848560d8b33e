import { describe, expect, it } from 'vitest';
import { toDatasetSource } from './collect-files.ts';

const file = (name: string, bytes = [1, 2, 3]) => new File([new Uint8Array(bytes)], name);

describe('dropped files → dataset/load source', () => {
  it('sends a single .zip or .csv as an archive with its bytes', async () => {
    const source = await toDatasetSource([{ path: 'fer2013.csv', file: file('fer2013.csv') }]);
    expect(source.kind).toBe('archive');
    if (source.kind === 'archive') expect(new Uint8Array(source.data)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('sends a folder as files with relative paths, named after the folder, skipping hidden files', async () => {
    const source = await toDatasetSource([
      { path: 'fer/train/happy/1.png', file: file('1.png') },
      { path: 'fer/train/sad/2.png', file: file('2.png') },
      { path: 'fer/.DS_Store', file: file('.DS_Store') },
    ]);
    expect(source).toMatchObject({ kind: 'files', name: 'fer' });
    if (source.kind === 'files') expect(source.files.map((f) => f.path)).toEqual(['fer/train/happy/1.png', 'fer/train/sad/2.png']);
  });

  it('refuses an empty drop with a reason', async () => {
    await expect(toDatasetSource([])).rejects.toThrow(/no files/);
  });
});
