import type { SplitName, TopLoss } from '../../shared/types.ts';
import { EditImage } from '../DatasetEdits/EditImage.tsx';
import { formatPercent } from '../common/format.ts';
import { RawImageCanvas } from '../common/RawImageCanvas.tsx';
import styles from './TopLosses.module.css';

/** One hard image: the picture, its label and the model's answer, its loss, the suspect flag, and Relabel / Exclude. */
export function TopLossItem(props: {
  item: TopLoss;
  split: SplitName;
  classes: readonly string[];
  selected: boolean;
  onSelect: () => void;
}) {
  const { item, split, classes, selected, onSelect } = props;
  const trueName = classes[item.trueClass] ?? String(item.trueClass);
  const predictedName = classes[item.predictedClass] ?? String(item.predictedClass);
  return (
    <li className={styles.item} data-testid="top-loss" data-suspect={item.likelyMislabelled} data-loss={item.loss} title={item.path}>
      <button type="button" className={`${styles.thumb} ${selected ? styles.selected : ''}`} onClick={onSelect} aria-pressed={selected}>
        <RawImageCanvas image={item.image} size={72} label={`${item.path}: labelled ${trueName}, predicted ${predictedName}`} />
      </button>
      <span className={styles.line}>
        labelled <strong>{trueName}</strong>
      </span>
      <span className={styles.line}>
        predicted <strong>{predictedName}</strong> {formatPercent(item.probability, 0)}
      </span>
      <span className={styles.line}>
        loss {item.loss.toFixed(2)} · p(label) {formatPercent(item.trueProbability, 0)}
      </span>
      {item.likelyMislabelled && <span className={styles.suspect}>likely mislabelled</span>}
      <EditImage split={split} path={item.path} classes={classes} />
    </li>
  );
}
