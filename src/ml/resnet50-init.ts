import { mulberry32 } from '../shared/random.ts';
import { RESNET50_FEATURES, type TensorSpec } from './resnet50-spec.ts';

/** Produces a tensor's initial values in TORCH layout (row-major over `spec.shape`). */
export type TensorInitializer = (spec: TensorSpec) => Float32Array;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * torchvision's ResNet50 random init, from a seeded PRNG: conv kaiming_normal_(mode='fan_out',
 * nonlinearity='relu') i.e. N(0, 2 / (out·kh·kw)); BN weight 1, bias 0, running mean 0, var 1;
 * fc as nn.Linear's default, U(±1/√fan_in) for weight and bias. Draws follow state_dict order
 * from one stream, so the same seed gives the same model. Values match torchvision in
 * distribution, not bit for bit (torch's generator is not reproduced here).
 */
export function torchvisionInitializer(seed: number): TensorInitializer {
  const rng = mulberry32(seed);
  return (spec) => {
    const n = size(spec.shape);
    switch (spec.kind) {
      case 'conv': {
        const [out = 0, , kh = 0, kw = 0] = spec.shape;
        return rng.normal(n, Math.sqrt(2 / (out * kh * kw)));
      }
      case 'fc-weight':
      case 'fc-bias': {
        // nn.Linear: kaiming_uniform_(a=√5) gives ±1/√fan_in for the weight; the bias uses the same bound.
        const bound = 1 / Math.sqrt(RESNET50_FEATURES);
        return rng.uniform(n, -bound, bound);
      }
      case 'bn-weight':
      case 'bn-var':
        return new Float32Array(n).fill(1);
      case 'bn-bias':
      case 'bn-mean':
        return new Float32Array(n);
    }
  };
}
