import type { SplitGrouping } from '../../shared/types.ts';
import { useLab } from '../../state/store.ts';
import fields from '../common/fields.module.css';
import styles from './Dataset.module.css';

const LABELS: Record<SplitGrouping, string> = {
  auto: 'By subject, if file names carry one (auto)',
  image: 'Per image',
  pattern: 'By a pattern in the path…',
};

/**
 * How the next import carves validation from train. Video-frame datasets (CK+) put near-identical
 * frames of one person on both sides of a per-image split, so the default groups by subject.
 */
export function SplitGroupingField({ disabled }: { disabled: boolean }) {
  const grouping = useLab((s) => s.config.grouping);
  const setGrouping = useLab((s) => s.setGrouping);
  return (
    <div className={styles.grouping}>
      <div className={fields.field}>
        <label htmlFor="split-grouping">Validation split (when the data has none)</label>
        <select
          id="split-grouping"
          className={fields.select}
          value={grouping.by}
          disabled={disabled}
          onChange={(e) => setGrouping({ by: e.target.value as SplitGrouping })}
        >
          {(Object.keys(LABELS) as SplitGrouping[]).map((by) => (
            <option key={by} value={by}>
              {LABELS[by]}
            </option>
          ))}
        </select>
      </div>
      {grouping.by === 'pattern' && (
        <div className={fields.field}>
          <label htmlFor="split-pattern">Group pattern (a regular expression with one capture group)</label>
          <input
            id="split-pattern"
            type="text"
            spellCheck={false}
            placeholder="/(S\d+)_"
            value={grouping.pattern}
            disabled={disabled}
            onChange={(e) => setGrouping({ pattern: e.target.value })}
          />
        </div>
      )}
      <span className={fields.hint}>
        Subjects are read from names like CK+’s S010_004_00000017.png (subject S010). Applies to the next dataset you load.
      </span>
    </div>
  );
}
