/** Which dataset a run needs, and what to tell the user when it is not the one loaded. */
import { applyDatasetEdits } from '../data/dataset-edits.ts';
import { DEMO_DATASET_NAME } from '../data/demo-dataset.ts';
import type { Dataset } from '../data/dataset.ts';
import { datasetKeyOf, datasetNameOfKey } from '../storage/pack.ts';
import type { RunRecord } from './runs.ts';
import type { Session } from './session.ts';

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

/**
 * The images `run` trained and is evaluated on: its own dataset, or the session's when it is the
 * same one (a run restored before its dataset was loaded again) with the run's own edits applied,
 * not the edits made since. Else an error that names the dataset and how to bring it back.
 */
export function datasetOfRun(session: Pick<Session, 'dataset'>, run: RunRecord): Dataset {
  if (run.dataset) return run.dataset;
  const missing = run.datasetKey ? missingDatasetMessage(run.number, run.datasetKey, session.dataset) : null;
  if (run.datasetKey && missing === null && session.dataset) return applyDatasetEdits(session.dataset, run.edits);
  throw new Error(missing ?? `Run ${run.number} was trained elsewhere: its images are not in this lab.`);
}
