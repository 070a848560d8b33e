import type * as tf from '@tensorflow/tfjs';
import { blockOf, RESNET_BLOCKS, type BlockLearningRates, type ResNetBlock } from '../../shared/regimes.ts';
import type { ResNet50 } from '../model.ts';

/** Parameters that share one learning rate. Variables are borrowed from the model, never disposed here. */
export interface ParamGroup {
  readonly lr: number;
  readonly blocks: readonly ResNetBlock[];
  /** torchvision names, in the model's (forward) order. */
  readonly names: readonly string[];
  readonly variables: readonly tf.Variable[];
}

/**
 * Groups the model's parameters by learning rate. Blocks with lr 0 form no group: they are frozen,
 * so they are never handed to `tf.variableGrads` and tfjs prunes the tape below the lowest
 * trainable block (no gradient is computed for them at all).
 */
export function buildParamGroups(params: ResNet50['params'], learningRates: BlockLearningRates): ParamGroup[] {
  const byLr = new Map<number, { blocks: ResNetBlock[]; names: string[]; variables: tf.Variable[] }>();
  for (const block of RESNET_BLOCKS) {
    const lr = learningRates[block];
    if (!(lr >= 0)) throw new Error(`learning rate of ${block} must be ≥ 0, got ${lr}`);
    if (lr > 0 && !byLr.has(lr)) byLr.set(lr, { blocks: [], names: [], variables: [] });
    if (lr > 0) byLr.get(lr)?.blocks.push(block);
  }
  for (const [name, variable] of params) {
    const group = byLr.get(learningRates[blockOf(name)]);
    if (!group) continue;
    group.names.push(name);
    group.variables.push(variable);
  }
  return [...byLr.entries()].filter(([, g]) => g.names.length > 0).map(([lr, g]) => ({ lr, ...g }));
}

/** Every variable that receives a gradient, in forward order of the groups. */
export function trainableVariables(groups: readonly ParamGroup[]): tf.Variable[] {
  return groups.flatMap((g) => g.variables);
}

/** Name → learning rate for every parameter (0 = frozen); what the UI and the tests show. */
export function learningRateTable(params: ResNet50['params'], learningRates: BlockLearningRates): Map<string, number> {
  const table = new Map<string, number>();
  for (const name of params.keys()) table.set(name, learningRates[blockOf(name)]);
  return table;
}

export { onlyClassifierTrains } from '../../shared/run-naming.ts';
