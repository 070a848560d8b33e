/**
 * Per-channel sums of an NHWC tensor read as [rows, channels], on WebGPU, without transposing it:
 * out[s, c] = Σ over the rows of split s of a[r, c] (· b[r, c] when there is a b). Consecutive threads
 * take consecutive channels (contiguous reads); each sums its rows with Kahan's compensation, so the
 * float32 error does not grow with the rows: BatchNorm's mean must be accurate to a small fraction
 * of the standard deviation, and a conv output's mean can be a hundred times it (the golden conv1
 * gradient moved by 3.6e-3 with plain blocked sums). tfjs' Mean and Sum over N, H, W transpose the
 * whole tensor first; BatchNorm needs four such sums a layer.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Channels a workgroup takes. */
export const CHANNELS_PER_WORKGROUP = 64;

export class ChannelSumsProgram implements WebGPUProgram {
  readonly variableNames: string[];
  readonly uniforms = 'rows : i32, channels : i32, chunk : i32,';
  readonly workgroupSize: [number, number, number] = [CHANNELS_PER_WORKGROUP, 1, 1];
  readonly outputShape: number[];
  readonly dispatchLayout = { x: [1], y: [0] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  /** Sums of a (or of a·b with `product`) over rows, in `splits` slices of the rows. */
  constructor(
    channels: number,
    splits: number,
    private readonly product: boolean,
  ) {
    this.variableNames = product ? ['a', 'b'] : ['a'];
    this.outputShape = [splits, channels];
    this.dispatch = [Math.ceil(channels / CHANNELS_PER_WORKGROUP), splits, 1];
    this.shaderKey = `expressionLabChannelSums_${product ? 'product' : 'plain'}`;
  }

  getUserCode(): string {
    const value = this.product ? 'a[i] * b[i]' : 'a[i]';
    return `
      fn main() {
        let c = i32(workgroupId.x) * ${CHANNELS_PER_WORKGROUP} + i32(localId.x);
        let s = i32(workgroupId.y);
        if (c >= uniforms.channels) { return; }
        let r0 = s * uniforms.chunk;
        let r1 = min(uniforms.rows, r0 + uniforms.chunk);
        var total = 0.0;
        var compensation = 0.0;
        for (var r = r0; r < r1; r = r + 1) {
          let i = r * uniforms.channels + c;
          let y = ${value} - compensation;
          let t = total + y;
          compensation = (t - total) - y;
          total = t;
        }
        result[s * uniforms.channels + c] = total;
      }
    `;
  }
}
