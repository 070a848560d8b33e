import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const tfjs = { group: ['@tensorflow/*'], message: 'TensorFlow.js lives in src/ml and src/worker only.' };
const client = { group: ['**/client/*'], message: 'The store knows nothing of the worker: senders live in src/client and call the store.' };
const uiLibs = {
  group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'recharts'],
  message: 'React, zustand and recharts belong to the page (src/ui, src/state, src/app).',
};

export default tseslint.config(
  // src/ml/cpu/assembly is AssemblyScript (its own types, checked by asc when it compiles).
  { ignores: ['dist', 'node_modules', 'public', 'test-results', 'bench-results', 'src/ml/cpu/assembly'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**', 'src/app/**', 'src/state/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['src/app/**', 'src/ui/**', 'src/client/**', 'src/main.tsx'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjs] }] },
  },
  {
    files: ['src/state/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, client] }] },
  },
  {
    files: ['src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, uiLibs] }] },
  },
  {
    files: ['src/data/**', 'src/storage/**'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, uiLibs] }] },
  },
  {
    files: ['src/worker/**', 'src/ml/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [uiLibs] }] },
  },
);
