import type { BackendInfo } from '../shared/types.ts';

/** Everything the worker holds between commands. One session per worker; it owns all GPU memory. */
export interface Session {
  /** Base URL of the app, for runtime assets (WASM binaries, a local copy of the weights). */
  readonly baseUrl: string;
  backend: BackendInfo | null;
}

export function createSession(baseUrl: string): Session {
  return { baseUrl, backend: null };
}
