import { RESNET_BLOCKS, type BlockLearningRates, type ResNetBlock } from '../../shared/regimes.ts';

/**
 * Which learning rates shorten the backward pass. Gradients flow only from the loss down to the
 * lowest block with a rate above 0 (tf.variableGrads prunes the rest, as PyTorch's autograd does):
 * blocks below it cost their forward pass only; frozen blocks above it still pass gradients down.
 */
export function backwardHint(rates: BlockLearningRates): string {
  const lowest = RESNET_BLOCKS.find((b) => rates[b] > 0);
  if (lowest === undefined) return 'Every block is frozen: there is nothing to train.';
  const below = RESNET_BLOCKS.slice(0, RESNET_BLOCKS.indexOf(lowest));
  const frozenAbove = RESNET_BLOCKS.slice(RESNET_BLOCKS.indexOf(lowest) + 1).filter((b) => rates[b] === 0);
  const parts: string[] = [];
  if (below.length === 0) {
    parts.push('The backward pass runs down to conv1, the whole network. Setting the lowest blocks to 0, from conv1 up, shortens it.');
  } else {
    parts.push(`The backward pass stops at ${lowest}: ${listBlocks(below)} only run forward, which makes each step cheaper.`);
  }
  if (frozenAbove.length > 0) {
    parts.push(
      `Frozen ${listBlocks(frozenAbove)} still pass gradients down to ${lowest}; set ${lowest} and what lies below it to 0 as well to skip them.`,
    );
  }
  return parts.join(' ');
}

function listBlocks(blocks: readonly ResNetBlock[]): string {
  return blocks.length === 1 ? (blocks[0] as string) : `${blocks.slice(0, -1).join(', ')} and ${blocks.at(-1) as string}`;
}
