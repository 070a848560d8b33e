import { IMAGENET_MEAN, IMAGENET_STD, PIXEL_SCALE } from '../ml/preprocess.ts';
import { exportTorchvisionStateDict } from '../ml/weights/convert-torchvision.ts';
import { writeSafetensors } from '../ml/weights/safetensors.ts';
import { saveLayersModel, toLayersModel } from '../ml/weights/tfjs-layers-format.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { ExportFile } from '../shared/types.ts';
import { runWithModel, type RunRecord } from './runs.ts';
import { buildRunModel, classCountOf } from './weights-commands.ts';
import type { Post, Session } from './session.ts';

/** Everything needed to use the exported model the same way the lab did (USERS.md #6). */
function modelCard(run: RunRecord): Record<string, unknown> {
  const best = run.history.reduce<RunRecord['history'][number] | null>(
    (b, m) => (b && b.validationAccuracy >= m.validationAccuracy ? b : m),
    null,
  );
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
      layout: { tfjs: 'NHWC float32', safetensors: 'torchvision state_dict (NCHW model)' },
    },
    training: {
      regime: run.config.regime,
      config: run.config,
      epochs: run.history.length,
      bestValidationAccuracy: best?.validationAccuracy ?? null,
    },
  };
}

const json = (name: string, value: unknown): ExportFile => ({
  name,
  mimeType: 'application/json',
  data: new TextEncoder().encode(JSON.stringify(value, null, 2)).buffer as ArrayBuffer,
});

function metricsCsv(run: RunRecord): ExportFile {
  const header = [
    'epoch',
    'train_loss',
    'train_accuracy',
    'validation_loss',
    'validation_accuracy',
    'lr_scale',
    'wall_ms',
    ...run.classes.map((c) => `acc_${c}`),
  ];
  const rows = run.history.map((m) =>
    [
      m.epoch,
      m.trainLoss,
      m.trainAccuracy,
      m.validationLoss,
      m.validationAccuracy,
      m.learningRateScale,
      Math.round(m.wallMs),
      ...m.perClassAccuracy,
    ].join(','),
  );
  return {
    name: 'metrics.csv',
    mimeType: 'text/csv',
    data: new TextEncoder().encode([header.join(','), ...rows].join('\n') + '\n').buffer as ArrayBuffer,
  };
}

/** `export/run`: a trained run as TensorFlow.js layers files, a torchvision .safetensors, or its metrics. */
export async function exportRun(command: CommandOf<'export/run'>, session: Session, post: Post): Promise<void> {
  let files: ExportFile[];
  if (command.format === 'metrics') {
    const run = session.runs.get(command.runId);
    if (!run) throw new Error(`There is no run ${command.runId} in this session.`);
    files = [metricsCsv(run), json('metrics.json', { ...modelCard(run), history: run.history })];
  } else {
    const run = runWithModel(session.runs, command.runId);
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
    } else {
      const stateDict = await exportTorchvisionStateDict(run.model);
      const bytes = writeSafetensors(stateDict, {
        format: 'pt',
        classes: JSON.stringify(run.classes),
        'expression-lab': JSON.stringify(modelCard(run)),
      });
      files = [{ name: 'model.safetensors', mimeType: 'application/octet-stream', data: bytes.buffer as ArrayBuffer }];
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
