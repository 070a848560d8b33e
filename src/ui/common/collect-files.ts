/**
 * Turns what the person dropped or picked into a `dataset/load` source: one .zip or .csv becomes an
 * archive; a folder (walked with `webkitGetAsEntry`) or loose images become files with their
 * relative paths, whose parent folder names the class.
 */
import type { DatasetSource } from '../../shared/protocol.ts';

interface PickedFile {
  readonly path: string;
  readonly file: File;
}

const isArchive = (name: string) => /\.(zip|csv)$/i.test(name);

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\//, ''), file });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries a call; keep reading until it returns none.
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, out);
    }
  }
}

/**
 * Grabs a drop's contents. Must be called synchronously in the drop handler: the DataTransfer is
 * emptied once the event returns. Directory entries are walked; otherwise `files` is used.
 */
export function takeDrop(transfer: DataTransfer): () => Promise<PickedFile[]> {
  const entries = Array.from(transfer.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  const files = Array.from(transfer.files);
  const hasFolder = entries.some((e) => e?.isDirectory);
  return async () => {
    if (!hasFolder) return files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
    const out: PickedFile[] = [];
    for (const entry of entries) if (entry) await walk(entry, out);
    return out;
  };
}

/** Files from an `<input type="file">` (with `webkitdirectory`, paths include the folder). */
export function fromFileList(list: FileList): PickedFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The `dataset/load` source for picked files; rejects an empty pick with a message saying why. */
export async function toDatasetSource(picked: readonly PickedFile[]): Promise<DatasetSource> {
  const visible = picked.filter((p) => !p.path.split('/').some((part) => part.startsWith('.')));
  const only = visible[0];
  if (!only) throw new Error('Nothing to load: the drop held no files (hidden files are ignored).');
  if (visible.length === 1 && isArchive(only.file.name))
    return { kind: 'archive', name: only.file.name, data: await only.file.arrayBuffer() };
  const top = only.path.includes('/') ? only.path.split('/')[0] : undefined;
  const name = top && visible.every((p) => p.path.startsWith(`${top}/`)) ? top : `${visible.length} files`;
  const files = await Promise.all(visible.map(async (p) => ({ path: p.path, data: await p.file.arrayBuffer() })));
  return { kind: 'files', name, files };
}
