/** confusion[trueClass][predictedClass] counts. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = confusion[labels[i] as number];
    if (row) row[predictions[i] as number] = (row[predictions[i] as number] ?? 0) + 1;
  }
  return confusion;
}

/** Recall per class (diagonal / row sum); 0 for a class with no samples. */
export function perClassAccuracy(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? (row[c] ?? 0) / total : 0;
  });
}
