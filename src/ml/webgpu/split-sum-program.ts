/**
 * The second pass of a split-K product or a split sum: out[i] = Σ over s of partials[s, i], the slabs
 * added in order (so the result does not depend on how the GPU scheduled the first pass), with
 * Kahan's compensation. One invocation a value.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { webgpu_util } from '@tensorflow/tfjs-backend-webgpu';

export class SplitSumProgram implements WebGPUProgram {
  readonly variableNames = ['partials'];
  readonly uniforms = 'splits : i32,';
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey = 'expressionLabSplitSum';

  /** @param outputShape the result's shape; partials are [splits, ...outputShape] flattened. */
  constructor(readonly outputShape: number[]) {
    this.dispatchLayout = webgpu_util.flatDispatchLayout(outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var sum = 0.0;
          var compensation = 0.0;
          for (var s = 0; s < uniforms.splits; s = s + 1) {
            let y = partials[s * uniforms.size + index] - compensation;
            let t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
          }
          result[index] = sum;
        }
      }
    `;
  }
}
