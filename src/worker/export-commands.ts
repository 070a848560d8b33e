import { RESNET_BLOCKS } from '../shared/regimes.ts';
import { ratesSummary, runRegimeName } from '../shared/run-naming.ts';
import { IMAGENET_MEAN, IMAGENET_STD, PIXEL_SCALE } from '../ml/preprocess.ts';
import { exportTorchvisionStateDict } from '../ml/weights/convert-torchvision.ts';
import { writeSafetensors } from '../ml/weights/safetensors.ts';
import { saveLayersModel, toLayersModel } from '../ml/weights/tfjs-layers-format.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { MOVEMENT_BLOCKS, type ExportFile } from '../shared/types.ts';
import type { RunRecord, RunWithModel } from './runs.ts';
import { buildRunModel, classCountOf } from './weights-commands.ts';
import type { Post, Session } from './session.ts';
import { loadRunModel } from './persistence.ts';
import { BEST_EPOCH_RULE, bestEpochOf } from '../shared/best-epoch.ts';

/** Everything needed to use the exported model the same way the lab did (USERS.md #6). */
function modelCard(run: RunRecord): Record<string, unknown> {
  const best = run.history.find((m) => m.epoch === bestEpochOf(run.history));
  return {
    architecture: 'torchvision resnet50 (v1.5)',
    classes: run.classes,
    startingWeights: run.weightsLabel,
    preprocessing: {
      inputSize: [run.config.inputSize, run.config.inputSize],
      resize:
        run.config.resizeMode === 'center-crop' ? 'centre-crop to a square, then bilinear resize' : 'bilinear resize (aspect not kept)',
      grayscale: 'repeat to 3 channels (RGB)',
      scale: `divide by ${PIXEL_SCALE}`,
      mean: IMAGENET_MEAN,
      std: IMAGENET_STD,
      layout: { tfjs: 'NHWC float32', safetensors: 'torchvision state_dict (NCHW model)', onnx: 'NCHW float32 input "input"' },
    },
    training: {
      regime: run.config.regime,
      // What the run is called by the rates it trained with, and those rates per block.
      name: runRegimeName(run.config).label,
      learningRates: run.config.learningRates,
      learningRatesSummary: ratesSummary(run.config.learningRates),
      config: run.config,
      epochs: run.history.length,
      bestEpoch: best?.epoch ?? null,
      bestEpochRule: BEST_EPOCH_RULE,
      bestValidationAccuracy: best?.validationAccuracy ?? null,
    },
  };
}

const json = (name: string, value: unknown): ExportFile => ({
  name,
  mimeType: 'application/json',
  data: new TextEncoder().encode(JSON.stringify(value, null, 2)).buffer as ArrayBuffer,
});

/** The base of every download of a run, e.g. "run-2-discriminative", so files of two runs never collide. */
export function runFileBase(run: Pick<RunRecord, 'number' | 'config'>): string {
  return `run-${run.number}-${run.config.regime}`;
}

/**
 * Every batch and every epoch of a run, one row each (`kind` = batch | epoch); columns that do not
 * apply to a row are empty.
 */
export function metricsCsv(run: Pick<RunRecord, 'number' | 'config' | 'classes' | 'history' | 'batches'>): ExportFile {
  const header = [
    'kind',
    'epoch',
    'batch',
    'loss',
    'accuracy',
    'images_per_second',
    'validation_loss',
    'validation_accuracy',
    'lr_scale',
    'wall_ms',
    ...run.classes.map((c) => `acc_${c}`),
    // The learning rate of each block in that epoch (its base rate × lr_scale; 0 = frozen).
    ...RESNET_BLOCKS.map((b) => `lr_${b}`),
    // How far each block moved since the start, ‖W − W₀‖ / ‖W₀‖ (empty where it was not measured), and what measuring cost.
    ...MOVEMENT_BLOCKS.map((b) => `moved_${b}`),
    'movement_ms',
  ];
  const blanks = (n: number) => Array<string>(n).fill('');
  const batchRows = run.batches.map((b) =>
    [
      'batch',
      b.epoch,
      b.batch,
      b.loss,
      b.accuracy,
      b.imagesPerSecond,
      ...blanks(4 + run.classes.length + RESNET_BLOCKS.length + MOVEMENT_BLOCKS.length + 1),
    ].join(','),
  );
  const epochRows = run.history.map((m) =>
    [
      'epoch',
      m.epoch,
      '',
      m.trainLoss,
      m.trainAccuracy,
      '',
      m.validationLoss,
      m.validationAccuracy,
      m.learningRateScale,
      Math.round(m.wallMs),
      ...m.perClassAccuracy,
      ...RESNET_BLOCKS.map((b) => run.config.learningRates[b] * m.learningRateScale),
      ...MOVEMENT_BLOCKS.map((b) => m.blockMovement?.[b] ?? ''),
      m.blockMovementMs === undefined ? '' : m.blockMovementMs.toFixed(1),
    ].join(','),
  );
  return {
    name: `${runFileBase(run)}-metrics.csv`,
    mimeType: 'text/csv',
    data: new TextEncoder().encode([header.join(','), ...batchRows, ...epochRows].join('\n') + '\n').buffer as ArrayBuffer,
  };
}

/**
 * The ONNX model's `metadata_props`: everything needed to feed it as the lab did (USERS.md #6) and
 * to know what it is, one string per key; `expression_lab` holds the whole model card as JSON.
 */
export function onnxMetadata(run: RunRecord): Record<string, string> {
  const card = modelCard(run);
  const side = run.config.inputSize;
  return {
    input: `float32 NCHW [batch, 3, ${side}, ${side}], RGB, after the preprocessing below`,
    input_size: String(side),
    resize_mode: run.config.resizeMode,
    resize: (card.preprocessing as { resize: string }).resize,
    grayscale: 'repeat to 3 channels (RGB)',
    scale: String(PIXEL_SCALE),
    mean: JSON.stringify(IMAGENET_MEAN),
    std: JSON.stringify(IMAGENET_STD),
    normalize: 'x = (pixel / scale - mean[c]) / std[c]',
    output: `logits [batch, ${run.classes.length}] (before softmax), in the order of classes`,
    classes: JSON.stringify(run.classes),
    regime: run.config.regime,
    run_id: run.runId,
    starting_weights: run.weightsLabel,
    expression_lab: JSON.stringify(card),
  };
}

async function onnxFile(run: RunWithModel): Promise<ExportFile> {
  // protobufjs and ONNX's schema load only when someone exports ONNX.
  const { resnet50ToOnnx } = await import('../ml/weights/onnx-export.ts');
  const side = run.config.inputSize;
  const bytes = resnet50ToOnnx(await exportTorchvisionStateDict(run.model), {
    inputSize: side,
    metadata: onnxMetadata(run),
    docString:
      `Expression Lab run ${run.number} (${run.config.regime}): torchvision ResNet50 fine-tuned on ${run.classes.length} classes. ` +
      `Input: resize to ${side}x${side}, RGB, divide by ${PIXEL_SCALE}, subtract mean and divide by std per channel (metadata), NCHW float32.`,
  });
  return { name: `${runFileBase(run)}.onnx`, mimeType: 'application/octet-stream', data: bytes.buffer as ArrayBuffer };
}

/** `export/run`: a trained run as TensorFlow.js layers files, a torchvision .safetensors, an ONNX model, or its metrics. */
export async function exportRun(command: CommandOf<'export/run'>, session: Session, post: Post): Promise<void> {
  let files: ExportFile[];
  if (command.format === 'metrics') {
    const run = session.runs.get(command.runId);
    if (!run) throw new Error(`There is no run ${command.runId} in this session.`);
    files = [metricsCsv(run), json(`${runFileBase(run)}-metrics.json`, { ...modelCard(run), history: run.history, batches: run.batches })];
  } else {
    const run = await loadRunModel(session, command.runId);
    if (command.format === 'tfjs') {
      const layersModel = toLayersModel(run.model, run.config.inputSize);
      try {
        const { modelJson, weightsBin } = await saveLayersModel(layersModel);
        files = [
          json('model.json', modelJson),
          { name: 'weights.bin', mimeType: 'application/octet-stream', data: weightsBin },
          json('expression-lab.json', modelCard(run)),
        ];
      } finally {
        layersModel.dispose();
      }
    } else if (command.format === 'onnx') {
      files = [await onnxFile(run)];
    } else {
      const stateDict = await exportTorchvisionStateDict(run.model);
      const bytes = writeSafetensors(stateDict, {
        format: 'pt',
        classes: JSON.stringify(run.classes),
        'expression-lab': JSON.stringify(modelCard(run)),
      });
      files = [{ name: `${runFileBase(run)}.safetensors`, mimeType: 'application/octet-stream', data: bytes.buffer as ArrayBuffer }];
    }
  }
  post({ type: 'export/ready', requestId: command.requestId, files });
}

/** `weights/export`: the loaded base weights (fc as in the file) as TensorFlow.js layers files. */
export async function exportBaseWeights(command: CommandOf<'weights/export'>, session: Session, post: Post): Promise<void> {
  const weights = session.weights;
  if (!weights) throw new Error('No weights are loaded to export.');
  const model = buildRunModel(weights, classCountOf(weights.tensors), weights.seed);
  try {
    const layersModel = toLayersModel(model, command.inputSize);
    try {
      const { modelJson, weightsBin } = await saveLayersModel(layersModel);
      const files: ExportFile[] = [
        {
          name: 'model.json',
          mimeType: 'application/json',
          data: new TextEncoder().encode(JSON.stringify(modelJson)).buffer as ArrayBuffer,
        },
        { name: 'weights.bin', mimeType: 'application/octet-stream', data: weightsBin },
      ];
      post({ type: 'export/ready', requestId: command.requestId, files });
    } finally {
      layersModel.dispose();
    }
  } finally {
    model.dispose();
  }
}
