/** Up-front checks on a zip's central directory, before a single byte is inflated. */
import { formatBytes } from '../shared/format.ts';
import { MAX_ENTRY_BYTES, readZipDirectory, type ZipDirectory } from './zip-reader.ts';

/**
 * Lists a zip's entries after refusing, with a message saying what to do: an unreadable zip,
 * encrypted entries, a declared total over `maxUncompressedBytes` (zip bombs), or a single
 * entry too large to hold in memory.
 */
export function openZip(bytes: Uint8Array, name: string, maxUncompressedBytes: number): ZipDirectory {
  const directory = readZipDirectory(bytes, name);
  const { entries } = directory;
  const encrypted = entries.filter((entry) => entry.encrypted && !entry.isDirectory);
  if (encrypted.length > 0) {
    throw new Error(
      `"${name}" is password-protected (${encrypted.length} encrypted entr${encrypted.length > 1 ? 'ies' : 'y'}, e.g. "${encrypted[0]?.path}").` +
        ' Encrypted zips cannot be read here: extract it and re-zip it without a password.',
    );
  }
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (total > maxUncompressedBytes) {
    throw new Error(
      `"${name}" would expand to ${formatBytes(total)}, over the ${formatBytes(maxUncompressedBytes)} import limit (a guard against zip bombs).` +
        ' If the archive is genuine, raise the maximum uncompressed size (maxUncompressedBytes) in the import options, or split it into smaller zips.',
    );
  }
  const huge = entries.find((entry) => entry.size > MAX_ENTRY_BYTES);
  if (huge) {
    throw new Error(
      `"${huge.path}" in "${name}" is ${formatBytes(huge.size)} uncompressed, too large to hold in browser memory (the limit is ${formatBytes(MAX_ENTRY_BYTES)} per file).` +
        ' Split it into smaller files.',
    );
  }
  return directory;
}
