/**
 * The four fine-tuning regimes of the seed study, as data. Parameter groups are selected by
 * torchvision state_dict name prefixes (`conv1`, `bn1`, `layer1` … `layer4`, `fc`).
 */
export type RegimeId = 'linear' | 'finetune' | 'discriminative' | 'frozen-lower';

export const REGIME_IDS: readonly RegimeId[] = ['linear', 'finetune', 'discriminative', 'frozen-lower'];

/** Top-level blocks of torchvision's ResNet50, in forward order. */
export const RESNET_BLOCKS = ['conv1', 'bn1', 'layer1', 'layer2', 'layer3', 'layer4', 'fc'] as const;
export type ResNetBlock = (typeof RESNET_BLOCKS)[number];

/** Learning rate per block; 0 means frozen (no gradient is computed at all). */
export type BlockLearningRates = Record<ResNetBlock, number>;

export interface RegimeDefinition {
  readonly id: RegimeId;
  readonly label: string;
  /** Plain-language explanation shown in the UI. */
  readonly explanation: string;
  readonly learningRates: BlockLearningRates;
  /** Validation accuracy the seed study reported, for reference. */
  readonly seedAccuracy: number;
  readonly seedEpochs: number;
}

const rates = (backbone: number, fc: number, frozen: readonly ResNetBlock[] = []): BlockLearningRates => {
  const out = {} as BlockLearningRates;
  for (const block of RESNET_BLOCKS) out[block] = block === 'fc' ? fc : frozen.includes(block) ? 0 : backbone;
  return out;
};

export const REGIMES: Readonly<Record<RegimeId, RegimeDefinition>> = {
  linear: {
    id: 'linear',
    label: 'Linear probe',
    explanation:
      'Freeze the whole pretrained backbone and train only the new classifier (fc, one output per class). Fast, but the ImageNet features are used as they are.',
    learningRates: rates(0, 0.005),
    seedAccuracy: 0.4039,
    seedEpochs: 10,
  },
  finetune: {
    id: 'finetune',
    label: 'Full fine-tune',
    explanation: 'Train every layer with the same learning rate (0.01). Adapts everything, but can wash out what ImageNet taught.',
    learningRates: rates(0.01, 0.01),
    seedAccuracy: 0.6149,
    seedEpochs: 10,
  },
  discriminative: {
    id: 'discriminative',
    label: 'Discriminative learning rates',
    explanation:
      'The new classifier learns fast (0.01) while the pretrained backbone moves gently (0.001). The best regime of the seed study.',
    learningRates: rates(0.001, 0.01),
    seedAccuracy: 0.643,
    seedEpochs: 10,
  },
  'frozen-lower': {
    id: 'frozen-lower',
    label: 'Frozen lower layers',
    explanation: 'Keep layer1 and layer2 (edges, textures) fixed; train conv1, layer3, layer4 at 0.001 and the classifier at 0.01.',
    learningRates: rates(0.001, 0.01, ['layer1', 'layer2']),
    seedAccuracy: 0.6166,
    seedEpochs: 10,
  },
};

/** Block a torchvision parameter name belongs to: `layer3.5.bn2.weight` → `layer3`. */
export function blockOf(paramName: string): ResNetBlock {
  const head = paramName.split('.')[0];
  const block = RESNET_BLOCKS.find((b) => b === head);
  if (!block) throw new Error(`"${paramName}" is not a torchvision ResNet50 parameter name`);
  return block;
}
