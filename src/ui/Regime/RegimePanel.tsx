import { REGIME_IDS, REGIMES } from '../../shared/regimes.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { formatPercent } from '../common/format.ts';
import { Augmentation } from './Augmentation.tsx';
import { HyperParams } from './HyperParams.tsx';
import { LearningRates } from './LearningRates.tsx';
import { ShareLink } from './ShareLink.tsx';
import styles from './Regime.module.css';

/** The four regimes of the study as radio cards, then the knobs they set. */
export function RegimePanel() {
  const regime = useLab((s) => s.config.train.regime);
  const setRegime = useLab((s) => s.setRegime);
  return (
    <Card id="regime" title="3 · Regime and settings" actions={<ShareLink />}>
      <fieldset className={styles.cards}>
        <legend className="visually-hidden">Fine-tuning regime</legend>
        {REGIME_IDS.map((id) => {
          const r = REGIMES[id];
          return (
            <label key={id} className={`${styles.card} ${regime === id ? styles.selected : ''}`}>
              <input type="radio" name="regime" value={id} checked={regime === id} onChange={() => setRegime(id)} />
              <span className={styles.cardBody}>
                <span className={styles.cardTitle}>
                  {r.label}
                  <span
                    className={styles.seed}
                    title={`Validation accuracy the seed study reported after ${r.seedEpochs} epochs (PyTorch, 224 px)`}
                  >
                    seed study: {formatPercent(r.seedAccuracy)}
                  </span>
                </span>
                <span className={styles.explanation}>{r.explanation}</span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <LearningRates />
      <HyperParams />
      <Augmentation />
    </Card>
  );
}
