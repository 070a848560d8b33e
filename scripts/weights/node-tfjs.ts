import { useWasmBackend } from '../../src/ml/testing/node-backend.ts';

/** tfjs on the WASM backend in Node, for scripts that run the app's ml/ code outside a browser. */
export async function startNodeTfjs(): Promise<void> {
  await useWasmBackend();
}
