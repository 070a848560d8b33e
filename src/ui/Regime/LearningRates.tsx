import { RESNET_BLOCKS, type ResNetBlock } from '../../shared/regimes.ts';
import { runRegimeName } from '../../shared/run-naming.ts';
import { useLab } from '../../state/store.ts';
import { formatRate } from '../common/format.ts';
import { NumberField } from '../common/NumberField.tsx';
import { backwardHint } from './backward-hint.ts';
import styles from './Regime.module.css';

const BLOCK_HINTS: Record<ResNetBlock, string> = {
  conv1: 'first 7×7 convolution',
  bn1: 'its batch norm',
  layer1: 'edges, colours',
  layer2: 'textures',
  layer3: 'parts',
  layer4: 'whole patterns',
  fc: 'new classifier, one output per class',
};

/** Per-block learning rates; 0 freezes a block (no gradient at all). */
export function LearningRates() {
  const rates = useLab((s) => s.config.train.learningRates);
  const train = useLab((s) => s.config.train);
  const setRate = useLab((s) => s.setLearningRate);
  const name = runRegimeName(train);
  return (
    <fieldset className={styles.group}>
      <legend>Learning rate per block</legend>
      <p className={styles.hint}>How far each step moves a block’s weights. 0 freezes the block. Picking a regime resets these.</p>
      <div className={styles.rates}>
        {RESNET_BLOCKS.map((block) => (
          <div key={block} className={rates[block] === 0 ? styles.frozen : undefined} title={BLOCK_HINTS[block]}>
            <NumberField
              label={block}
              value={rates[block]}
              min={0}
              max={10}
              step={0.001}
              onChange={(v) => setRate(block, v)}
              display={rates[block] === 0 ? formatRate(0) : BLOCK_HINTS[block]}
            />
          </div>
        ))}
      </div>
      <p className={styles.hint} data-testid="backward-hint">
        {backwardHint(rates)}
      </p>
      <p className={styles.hint} data-testid="rates-name">
        {name.custom
          ? `These rates are no regime’s: runs will be called “${name.label}”.`
          : `Runs with these rates are called “${name.label}”.`}
      </p>
    </fieldset>
  );
}
