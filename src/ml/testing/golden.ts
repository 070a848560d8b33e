import raw from '../../../tests/fixtures/golden/resnet50-golden.json';

/**
 * A tensor from the golden run, torch layout (conv OIHW, fc [out, in]). Tensors of ≤ 256 values
 * come whole (`values`); larger ones as the first 64 values (`head`), 64 values at flat indices
 * floor(i·n/64) (`strided`) and three sums.
 */
export interface TensorSummary {
  readonly shape: readonly number[];
  readonly values?: readonly number[];
  readonly head?: readonly number[];
  readonly strided?: readonly number[];
  readonly sum?: number;
  readonly sumAbs?: number;
  readonly sumSq?: number;
}

/** Per-block learning rates of a regime as the golden run used them (0 = requires_grad False). */
export type GoldenRates = Record<'conv1' | 'bn1' | 'layer1' | 'layer2' | 'layer3' | 'layer4' | 'fc', number>;

/** tests/fixtures/golden/resnet50-golden.json, written by scripts/golden/make_golden.py. */
export interface Golden {
  readonly meta: {
    readonly torch: string;
    readonly torchvision: string;
    readonly dtype: string;
    readonly paramSeed: number;
    readonly inputSeed: number;
    readonly inputShapeNCHW: readonly [number, number, number, number];
    /** Input = coarse cells (inputCells × inputCells per image, nearest-upsampled) + fineScale × fine noise. */
    readonly inputCells: number;
    readonly coarseRange: readonly [number, number];
    readonly fineRange: readonly [number, number];
    readonly fineScale: number;
    readonly labels: readonly number[];
    readonly numClasses: number;
  };
  /** torch's own float32 error against this float64 reference, same metric: the floor for any float32 port. */
  readonly torchFloat32MaxRel: Readonly<Record<string, number>>;
  readonly prngCheck: { readonly seed: number; readonly uint32: readonly number[] };
  /** Named tensors before any step, to check the TS rebuild of the weights. */
  readonly initial: Readonly<Record<string, TensorSummary>>;
  /** model.eval() logits [2][7]. */
  readonly evalLogits: readonly (readonly number[])[];
  readonly train: {
    /** model.train() logits [2][7] (batch statistics). */
    readonly logits: readonly (readonly number[])[];
    /** Mean cross-entropy of the train-mode logits against meta.labels. */
    readonly loss: number;
    /** d loss / d param for conv1.weight, layer1.0.conv1.weight, layer3.2.conv2.weight, layer4.2.bn3.weight, fc.weight, fc.bias. */
    readonly grads: Readonly<Record<string, TensorSummary>>;
    /** BN running stats after one train-mode forward from the initial weights. */
    readonly runningAfterForward: Readonly<Record<string, TensorSummary>>;
  };
  /** One SGD(momentum=0.9) step per regime from the initial weights: the same six params after it. */
  readonly regimes: Readonly<
    Record<
      string,
      { readonly learningRates: GoldenRates; readonly loss: number; readonly paramsAfterStep: Readonly<Record<string, TensorSummary>> }
    >
  >;
}

/** The golden data, typed. The JSON is bundled by Vite/Vitest, so this is synchronous. */
export function loadGolden(): Golden {
  return raw as unknown as Golden;
}

/** Largest |a − e| and that divided by the largest |e|, over the values a summary holds. */
export interface SummaryError {
  readonly maxAbs: number;
  readonly maxRel: number;
}

/**
 * Compares a torch-layout Float32Array against a golden summary: every stored value (whole,
 * head, strided) and the three sums. Relative error is against the largest stored |value|; for
 * the sums against sumAbs (sum alone can cancel to ~0), which avoids dividing by near-zeros.
 */
export function compareToSummary(actual: Float32Array, expected: TensorSummary): SummaryError {
  const n = actual.length;
  const pairs: Array<[number, number]> = [];
  if (expected.values) expected.values.forEach((v, i) => pairs.push([actual[i] ?? NaN, v]));
  if (expected.head) expected.head.forEach((v, i) => pairs.push([actual[i] ?? NaN, v]));
  if (expected.strided) expected.strided.forEach((v, i) => pairs.push([actual[Math.floor((i * n) / expected.strided!.length)] ?? NaN, v]));
  let maxAbs = 0;
  let scale = 0;
  for (const [a, e] of pairs) {
    maxAbs = Math.max(maxAbs, Number.isNaN(a) ? Infinity : Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  let maxRel = scale > 0 ? maxAbs / scale : maxAbs;
  const sumAbs = expected.sumAbs ?? 0;
  const sums: Array<[number, number | undefined, number]> = [
    [actual.reduce((s, v) => s + v, 0), expected.sum, sumAbs],
    [actual.reduce((s, v) => s + Math.abs(v), 0), expected.sumAbs, sumAbs],
    [actual.reduce((s, v) => s + v * v, 0), expected.sumSq, expected.sumSq ?? 0],
  ];
  for (const [a, e, denom] of sums) if (e !== undefined) maxRel = Math.max(maxRel, Math.abs(a - e) / Math.max(denom, 1e-12));
  return { maxAbs, maxRel };
}
