import { BATCH_SIZES } from '../../state/config-defaults.ts';
import { useLab } from '../../state/store.ts';
import type { LrSchedule } from '../../shared/types.ts';
import { NumberField } from '../common/NumberField.tsx';
import styles from './Regime.module.css';

const SCHEDULES: Record<LrSchedule['kind'], LrSchedule> = {
  constant: { kind: 'constant' },
  step: { kind: 'step', everyEpochs: 3, gamma: 0.1 },
  cosine: { kind: 'cosine' },
};

/** Momentum, batch, epochs, seed, schedule, early stopping and loss options, each with a hint. */
export function HyperParams() {
  const t = useLab((s) => s.config.train);
  const validationFraction = useLab((s) => s.config.validationFraction);
  const update = useLab((s) => s.updateTrainConfig);
  const setValidation = useLab((s) => s.setValidationFraction);
  return (
    <fieldset className={styles.group}>
      <legend>Training settings</legend>
      <div className={styles.grid}>
        <NumberField
          label="Momentum"
          hint="How much each step keeps going the way the last ones went."
          value={t.momentum}
          min={0}
          max={0.999}
          step={0.05}
          onChange={(momentum) => update({ momentum })}
        />
        <div className={styles.field}>
          <label htmlFor="batch-size">Batch size</label>
          <select id="batch-size" value={t.batchSize} onChange={(e) => update({ batchSize: Number(e.target.value) })}>
            {/* A batch the memory check suggested (see Training) is listed beside the usual ones. */}
            {[...new Set([...BATCH_SIZES, t.batchSize])]
              .sort((a, b) => a - b)
              .map((b) => (
                <option key={b}>{b}</option>
              ))}
          </select>
          <span className={styles.hint}>Images per step. Bigger is steadier but needs more memory.</span>
        </div>
        <NumberField
          label="Epochs"
          hint="Passes over the training images."
          value={t.epochs}
          min={1}
          max={200}
          step={1}
          onChange={(epochs) => update({ epochs: Math.round(epochs) })}
        />
        <NumberField
          label="Seed"
          hint="Same seed, same split, order and augmentation."
          value={t.seed}
          min={0}
          max={2 ** 32 - 1}
          step={1}
          onChange={(seed) => update({ seed: Math.round(seed) })}
        />
        <div className={styles.field}>
          <label htmlFor="schedule">Learning-rate schedule</label>
          <select
            id="schedule"
            value={t.schedule.kind}
            onChange={(e) => update({ schedule: SCHEDULES[e.target.value as LrSchedule['kind']] })}
          >
            <option value="constant">Constant</option>
            <option value="step">Step (×0.1 every 3 epochs)</option>
            <option value="cosine">Cosine to zero</option>
          </select>
          <span className={styles.hint}>Lowering the rate late lets the model settle.</span>
        </div>
        <NumberField
          label="Early-stopping patience"
          hint="Stop after this many epochs without a better validation loss; 0 = off."
          value={t.earlyStoppingPatience}
          min={0}
          max={100}
          step={1}
          onChange={(p) => update({ earlyStoppingPatience: Math.round(p) })}
        />
        <NumberField
          label="Validation fraction"
          hint="Share of train held out when the data has no validation split."
          value={validationFraction}
          min={0.01}
          max={0.5}
          step={0.05}
          onChange={setValidation}
        />
      </div>
      <label className={styles.check}>
        <input type="checkbox" checked={t.classWeighted} onChange={(e) => update({ classWeighted: e.target.checked })} />
        <span>
          Class-weighted loss <span className={styles.hint}>— rare classes (FER2013’s disgust) count more, so they are not ignored.</span>
        </span>
      </label>
      {t.regime === 'linear' && (
        <label className={styles.check}>
          <input type="checkbox" checked={t.exactSeedBehaviour} onChange={(e) => update({ exactSeedBehaviour: e.target.checked })} />
          <span>
            Exact seed behaviour{' '}
            <span className={styles.hint}>
              — run the frozen backbone every step with batch norm in training mode, as the seed’s PyTorch code did. Slower; off caches the
              features once.
            </span>
          </span>
        </label>
      )}
    </fieldset>
  );
}
