/** What the weights status says: one heading (from the source) and one detail line that does not repeat it. */
import type { WeightsInfo } from '../../shared/types.ts';

/** The weights' heading and detail, e.g. "Random initialisation — not pretrained" / "Seed 42 · 23.5 M parameters". */
export function describeWeights(info: WeightsInfo): { heading: string; detail: string } {
  const heading = info.pretrained
    ? 'ImageNet-pretrained ResNet50'
    : info.source === 'random-init'
      ? 'Random initialisation — not pretrained'
      : 'Your own weights';
  // The worker's label restates the source and puts what is particular to these weights in
  // parentheses ("Random initialisation (seed 42) — NOT pretrained"); a dropped file's label is its name.
  const inParentheses = /\(([^)]+)\)/.exec(info.label)?.[1];
  const particular =
    info.source === 'dropped-file'
      ? info.label.replace(/\s*\(dropped files?\)\s*$/, '')
      : inParentheses
        ? inParentheses.charAt(0).toUpperCase() + inParentheses.slice(1)
        : info.label;
  const parts = [particular].filter(Boolean);
  if (info.parameterCount > 0) parts.push(`${(info.parameterCount / 1e6).toFixed(1)} M parameters`);
  return { heading, detail: parts.join(' · ') };
}
