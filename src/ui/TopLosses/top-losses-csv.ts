import type { TopLoss } from '../../shared/types.ts';

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The top-losses list as CSV: path, true, predicted, probability, loss (and the flag), one row per image. */
export function topLossesCsv(items: readonly TopLoss[], classes: readonly string[]): string {
  const header = ['path', 'true', 'predicted', 'probability', 'loss', 'true_probability', 'likely_mislabelled'];
  const rows = items.map((item) =>
    [
      item.path,
      classes[item.trueClass] ?? item.trueClass,
      classes[item.predictedClass] ?? item.predictedClass,
      item.probability.toFixed(6),
      item.loss.toFixed(6),
      item.trueProbability.toFixed(6),
      item.likelyMislabelled,
    ].map(field),
  );
  return [header, ...rows].map((row) => row.join(',')).join('\n') + '\n';
}
