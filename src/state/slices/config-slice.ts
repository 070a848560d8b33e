import { REGIMES } from '../../shared/regimes.ts';
import { DEFAULT_LAB_CONFIG } from '../config-defaults.ts';
import type { ConfigSlice, SliceCreator } from '../types.ts';

/** The setup the next run will use; mirrored in the URL hash by `syncConfigWithHash`. */
export const createConfigSlice: SliceCreator<ConfigSlice> = (set) => ({
  config: DEFAULT_LAB_CONFIG,
  setRegime: (regime) =>
    set((s) => ({ config: { ...s.config, train: { ...s.config.train, regime, learningRates: { ...REGIMES[regime].learningRates } } } })),
  setLearningRate: (block, rate) =>
    set((s) => {
      const learningRates = { ...s.config.train.learningRates, [block]: Math.max(0, rate) };
      return { config: { ...s.config, train: { ...s.config.train, learningRates } } };
    }),
  updateTrainConfig: (patch) => set((s) => ({ config: { ...s.config, train: { ...s.config.train, ...patch } } })),
  setValidationFraction: (validationFraction) => set((s) => ({ config: { ...s.config, validationFraction } })),
  setGrouping: (patch) => set((s) => ({ config: { ...s.config, grouping: { ...s.config.grouping, ...patch } } })),
  replaceConfig: (config) => set({ config }),
});
