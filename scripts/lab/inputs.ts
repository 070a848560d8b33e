import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Fetching } from '../../src/shared/bridge.ts';
import type { DatasetSource, WeightsRequest } from '../../src/shared/protocol.ts';
import type { LabServer } from './server.ts';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * A dataset source for a path on this machine: a file (zip or CSV) is fetched whole by the page;
 * a folder becomes loose files with paths relative to it, exactly as a dropped folder would.
 */
export function datasetSourceFor(path: string, server: LabServer): Fetching<DatasetSource> {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new Error(`${path} does not exist. Give a .zip, a FER2013 .csv, or a folder of class folders.`);
  }
  if (stats.isDirectory()) {
    const files = walk(path).map((file) => ({ path: relative(path, file).split('\\').join('/'), data: { $fetch: server.offer(file) } }));
    return { kind: 'files', name: basename(path), files };
  }
  return { kind: 'archive', name: basename(path), data: { $fetch: server.offer(path) } };
}

/** A `weights/load` request for `--weights`: a .safetensors or PyTorch .pth/.pt file, a folder with model.json + shards, or random init. */
export function weightsRequestFor(path: string | null, server: LabServer, seed: number): Fetching<WeightsRequest> {
  if (!path) return { kind: 'random', seed };
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new Error(
      `--weights ${path} does not exist. Give a .safetensors or PyTorch .pth/.pt file, or a folder holding model.json and its weight files.`,
    );
  }
  if (stats.isDirectory()) {
    const files = readdirSync(path)
      .filter((name) => name.endsWith('.json') || name.endsWith('.bin'))
      .map((name) => ({ name, data: { $fetch: server.offer(join(path, name)) } }));
    return { kind: 'tfjs', files };
  }
  if (path.toLowerCase().endsWith('.json')) {
    // A model.json named on its own brings the weight shards beside it, as its folder would.
    const shards = readdirSync(dirname(path)).filter((name) => name.endsWith('.bin'));
    const files = [path, ...shards.map((name) => join(dirname(path), name))];
    return { kind: 'tfjs', files: files.map((file) => ({ name: basename(file), data: { $fetch: server.offer(file) } })) };
  }
  return { kind: 'file', name: basename(path), data: { $fetch: server.offer(path) } };
}
