/** Which dataset a run needs, and what to tell the user when it is not the one loaded. */
import { DEMO_DATASET_NAME } from '../data/demo-dataset.ts';
import type { Dataset } from '../data/dataset.ts';
import { datasetKeyOf, datasetNameOfKey } from '../storage/pack.ts';

/**
 * Why run `runNumber` (trained on the dataset of key `runKey`) cannot use `loaded`, and how to
 * bring its own back; null when `loaded` is the run's dataset.
 */
export function missingDatasetMessage(runNumber: number, runKey: string, loaded: Dataset | null): string | null {
  const loadedKey = loaded ? datasetKeyOf(loaded) : null;
  if (loadedKey === runKey) return null;
  const name = datasetNameOfKey(runKey);
  const bringBack = name === DEMO_DATASET_NAME ? 'press "Use demo dataset"' : `drop "${name}" on the Dataset panel again`;
  const now = loaded === null ? 'no dataset is loaded now' : `the dataset loaded now is "${loaded.name}"`;
  return `Run ${runNumber} trained on "${name}", and ${now}. To bring its data back, ${bringBack}.`;
}
