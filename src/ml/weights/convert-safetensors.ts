import type { ResNet50 } from '../model.ts';
import { buildResNet50 } from '../resnet50.ts';
import { loadTorchvisionStateDict } from './convert-torchvision.ts';
import { parseSafetensors } from './safetensors.ts';

/** Summary of {@link convertSafetensorsToModel} for logs and the UI. */
export interface ConversionReport {
  /** The file's ImageNet fc was dropped; the model's fc is freshly initialised. */
  readonly replacedFc: boolean;
  /** Tensors copied from the file. */
  readonly tensors: number;
  /** Trainable parameters of the resulting model (BN buffers excluded, as torch counts them). */
  readonly parameterCount: number;
}

/**
 * One call from .safetensors bytes (torchvision or timm ResNet50, F32/F16/BF16) to a ready model.
 * The caller owns the returned model; on any error the half-built model is disposed and the
 * error (naming the tensor at fault) is rethrown.
 */
export function convertSafetensorsToModel(
  bytes: Uint8Array,
  options: { readonly numClasses: number; readonly seed?: number },
): { model: ResNet50; report: ConversionReport } {
  const { tensors } = parseSafetensors(bytes);
  const model = buildResNet50({ numClasses: options.numClasses, seed: options.seed ?? 0 });
  try {
    const load = loadTorchvisionStateDict(model, tensors, options);
    let parameterCount = 0;
    for (const v of model.params.values()) parameterCount += v.size;
    return { model, report: { replacedFc: load.replacedFc, tensors: load.tensors, parameterCount } };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
