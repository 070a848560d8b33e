/** One colour per run (by run number), readable on light and dark backgrounds. */
const PALETTE = ['#3b7dd8', '#e07b39', '#2ea36b', '#b65fcf', '#d4a017', '#e0527a', '#1fa3b3', '#8a8f3c'];

/** The colour of run `number` (1-based). */
export function runColor(number: number): string {
  return PALETTE[(number - 1) % PALETTE.length] as string;
}
