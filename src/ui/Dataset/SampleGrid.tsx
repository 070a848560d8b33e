import type { SampleThumbnail } from '../../shared/types.ts';
import { RawImageCanvas } from '../common/RawImageCanvas.tsx';
import styles from './Dataset.module.css';

/** A row of sample thumbnails per class. */
export function SampleGrid({ classes, samples }: { classes: readonly string[]; samples: readonly SampleThumbnail[] }) {
  if (samples.length === 0) return null;
  return (
    <div className={styles.samples}>
      {classes.map((name, classIndex) => (
        <div key={name} className={styles.sampleRow}>
          <span className={styles.sampleClass}>{name}</span>
          {samples
            .filter((s) => s.classIndex === classIndex)
            .slice(0, 6)
            .map((s) => (
              <RawImageCanvas key={s.path} image={s} size={40} label={`${name}: ${s.path}`} />
            ))}
        </div>
      ))}
    </div>
  );
}
