/** The lines under the weights' heading: what reading the file did, and whether training replaces its fc. */
import type { WeightsInfo } from '../../shared/types.ts';

/**
 * Notes to show for loaded weights, e.g. "a training checkpoint: the weights under "state_dict"
 * (epoch 12)", and, when a dataset is loaded whose class count differs from the file's fc, that a
 * run replaces the fc with a new head (as for ImageNet's 1000 classes).
 */
export function weightsNotes(info: WeightsInfo, datasetClasses: number | null): string[] {
  const notes = [...(info.notes ?? [])];
  const fc = info.fcClasses ?? null;
  if (fc !== null && datasetClasses !== null && fc !== datasetClasses) {
    notes.push(
      `The file’s fc has ${fc} classes and the dataset ${datasetClasses}: each run replaces it with a new ${datasetClasses}-way head, randomly initialised.`,
    );
  } else if (fc !== null && info.source !== 'random-init') notes.push(`fc: ${fc} classes`);
  return notes;
}
