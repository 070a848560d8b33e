import { useId, useState } from 'react';
import styles from './fields.module.css';

/**
 * A labelled number input with a one-line plain-language hint. Keeps the typed text while it is
 * not (yet) a valid number, and only reports values within [min, max].
 */
export function NumberField(props: {
  label: string;
  hint?: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  disabled?: boolean;
  onChange(value: number): void;
  display?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={draft ?? String(props.value)}
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        disabled={props.disabled}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          const n = Number(text);
          if (text.trim() !== '' && Number.isFinite(n) && n >= props.min && n <= props.max) props.onChange(n);
        }}
        onBlur={() => setDraft(null)}
      />
      {props.display && <span className={styles.badge}>{props.display}</span>}
      {props.hint && (
        <span id={`${id}-hint`} className={styles.hint}>
          {props.hint}
        </span>
      )}
    </div>
  );
}
