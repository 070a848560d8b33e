/** Saving worker exports as files, through a Blob, an object URL and an `<a download>`. */
import { zipSync } from 'fflate';
import type { ExportFile } from '../../shared/types.ts';

/** Triggers the browser's download of one blob. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the files as they are, or, when `zipName` is given, as one zip of them. */
export function downloadExport(files: readonly ExportFile[], zipName?: string): void {
  if (zipName) {
    const entries = Object.fromEntries(files.map((f) => [f.name, new Uint8Array(f.data)]));
    downloadBlob(new Blob([zipSync(entries)], { type: 'application/zip' }), zipName);
    return;
  }
  for (const f of files) downloadBlob(new Blob([f.data], { type: f.mimeType }), f.name);
}
