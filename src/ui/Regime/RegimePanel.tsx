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
  const notPretrained = useLab((s) => s.weights.status === 'loaded' && s.weights.info?.pretrained === false);
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
      {notPretrained && (
        <p className={regime === 'linear' ? styles.warning : styles.note} data-testid="random-init-note" role="note">
          The weights are not pretrained (random initialisation). A linear probe trains only the last layer on the frozen backbone’s
          features, which are then noise: it learns next to nothing (its loss climbs while it predicts one class). Load pretrained weights
          for the regimes to mean what the study measured; fine-tuning everything from scratch can still learn, slowly.
        </p>
      )}
      <LearningRates />
      <HyperParams />
      <Augmentation />
    </Card>
  );
}
