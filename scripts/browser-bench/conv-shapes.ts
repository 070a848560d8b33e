import { bottleneckConvs, resnet50Bottlenecks, STEM_CONV } from '../../src/ml/resnet50-spec.ts';

/** One convolution of ResNet50 at a given input size: NHWC input side, channels, kernel, stride, padding. */
export interface ConvShape {
  readonly size: number;
  readonly ci: number;
  readonly co: number;
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
  /** How many of ResNet50's 53 convolutions have exactly this shape. */
  readonly count: number;
}

/** Multiply-adds x 2 of one forward convolution at batch `batch`. */
export function convFlops(c: ConvShape, batch: number): number {
  const out = Math.floor((c.size + 2 * c.pad - c.k) / c.stride) + 1;
  return 2 * batch * out * out * c.k * c.k * c.ci * c.co;
}

/** ResNet50's convolutions at input side `input`, identical shapes merged with their count. */
export function resnet50ConvShapes(input: number): ConvShape[] {
  const shapes = new Map<string, ConvShape>();
  const add = (size: number, spec: { inChannels: number; outChannels: number; kernel: number; stride: number; pad: number }): void => {
    const shape = { size, ci: spec.inChannels, co: spec.outChannels, k: spec.kernel, stride: spec.stride, pad: spec.pad, count: 1 };
    const key = JSON.stringify({ ...shape, count: 0 });
    const seen = shapes.get(key);
    shapes.set(key, seen ? { ...seen, count: seen.count + 1 } : shape);
  };
  add(input, STEM_CONV);
  // conv1 and the max pool each halve the side (rounding up, as PyTorch's padding does).
  let side = Math.ceil(Math.ceil(input / 2) / 2);
  for (const block of resnet50Bottlenecks()) {
    const [conv1, conv2, conv3, downsample] = bottleneckConvs(block);
    const out = Math.ceil(side / block.stride);
    if (conv1 && conv2 && conv3) {
      add(side, conv1);
      add(side, conv2);
      add(out, conv3);
    }
    if (downsample) add(side, downsample);
    side = out;
  }
  return [...shapes.values()];
}

/** The shape's padding in tfjs' explicit NHWC form. */
export function explicitPadding(c: ConvShape): [[0, 0], [number, number], [number, number], [0, 0]] {
  return [
    [0, 0],
    [c.pad, c.pad],
    [c.pad, c.pad],
    [0, 0],
  ];
}
