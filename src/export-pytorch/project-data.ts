/**
 * The data half of an exported PyTorch project: `config.json` (the run's settings, verbatim) and
 * `split.json` (every image of every split, by the name the lab read it under), so the script
 * trains on exactly the lab's split. Pure data; the Python itself is a template file (template/).
 */
import type { DatasetSummary, SplitName, TrainConfig } from '../shared/types.ts';

/** Identifies the files and the results format, so the lab can refuse what it cannot read. */
export const PROJECT_FORMAT = 'expression-lab/pytorch-project@1';

/** Where the script's starting weights come from: torchvision's download, a seeded init, or a file in the project. */
export type StartingWeights =
  | { readonly use: 'imagenet'; readonly label: string }
  | { readonly use: 'random'; readonly label: string }
  | { readonly use: 'start-weights.safetensors'; readonly label: string };

/** What the project needs to know about the dataset: its classes and each split's images (path, class index). */
export interface ProjectDataset {
  readonly name: string;
  readonly format: DatasetSummary['format'];
  readonly classes: readonly string[];
  readonly splits: Readonly<Record<SplitName, readonly { readonly path: string; readonly classIndex: number }[]>>;
}

/** `config.json`: the settings train.py reads. `train` is the lab's TrainConfig unchanged. */
export function projectConfig(config: TrainConfig, dataset: ProjectDataset, start: StartingWeights, runId: string | null) {
  if (dataset.format === 'demo')
    throw new Error('The demo dataset exists only inside the lab: import a zip, folder or FER2013 CSV to export a PyTorch project.');
  return {
    format: PROJECT_FORMAT,
    exportedFrom: runId === null ? 'lab command line' : `run ${runId}`,
    dataset: { name: dataset.name, format: dataset.format, classes: dataset.classes },
    startingWeights: start,
    preprocessing: {
      inputSize: [config.inputSize, config.inputSize],
      resize: config.resizeMode === 'center-crop' ? 'centre-crop to a square, then bilinear resize' : 'bilinear resize (aspect not kept)',
      grayscale: 'repeat to 3 channels (RGB)',
      scale: 'divide by 255',
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    train: config,
  };
}

/** `split.json`: `[name, classIndex]` per image, in the lab's split order (zip member, relative path, or `csv:row N`). */
export function projectSplit(dataset: ProjectDataset) {
  const list = (split: SplitName) => dataset.splits[split].map((image) => [image.path, image.classIndex] as const);
  return { classes: dataset.classes, train: list('train'), validation: list('validation'), test: list('test') };
}
