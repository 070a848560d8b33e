import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, type BackendInfo, type BackendName } from '../shared/types.ts';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';

/** Where the page serves tfjs-backend-wasm's .wasm files (copied by the Vite plugin in vite.config.ts). */
export const WASM_PATH = 'tfjs-wasm/';

interface WebGpuProbe {
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** Asks the browser for a WebGPU adapter without creating a device. Null when WebGPU is absent. */
async function probeWebGpu(): Promise<WebGpuProbe | null> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  // `adapter.info` replaced requestAdapterInfo() (removed in Chrome 131); both may be missing on old builds.
  const info = adapter.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const isFallbackAdapter = Boolean(info?.isFallbackAdapter ?? legacyFallback);
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((p) => p && p.length > 0);
  return { description: parts.length > 0 ? [...new Set(parts)].join(' ') : 'unknown WebGPU adapter', isFallbackAdapter };
}

/** Initialises one backend; resolves to null on success or to why it failed. */
async function trySetBackend(name: BackendName, baseUrl: string): Promise<string | null> {
  try {
    if (name === 'wasm') {
      setWasmPaths(new URL(WASM_PATH, baseUrl).href);
      registerWasmTrainingKernels();
    }
    return (await tf.setBackend(name)) ? null : `${name} did not initialise`;
  } catch (err) {
    return `${name}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function describe(name: BackendName, gpu: WebGpuProbe | null): string {
  switch (name) {
    case 'webgpu':
      return gpu ? `${gpu.description}${gpu.isFallbackAdapter ? ' (fallback adapter)' : ''}` : 'WebGPU';
    case 'wasm': {
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
      const threads = isolated
        ? `${globalThis.navigator?.hardwareConcurrency ?? 1} threads`
        : 'single thread (page not cross-origin isolated)';
      return `WebAssembly, ${threads}, SIMD`;
    }
    case 'webgl':
      return 'WebGL';
    case 'cpu':
      return 'plain JavaScript (slow)';
  }
}

/**
 * Picks and initialises the TensorFlow.js backend. Automatic order: WebGPU on a real adapter; WASM
 * when the only WebGPU adapter is a fallback (software) one, since WASM trains ~20x faster there;
 * then WebGL; then CPU. `preferred` overrides the order, falling back with the reason when it fails.
 * `baseUrl` resolves the WASM files (the worker passes its own location's origin + base path).
 */
export async function chooseBackend(preferred: BackendName | 'auto', baseUrl: string): Promise<BackendInfo> {
  const gpu = await probeWebGpu().catch(() => null);
  let order: BackendName[];
  let reason: string;
  if (preferred !== 'auto') {
    order = [preferred, ...BACKEND_NAMES.filter((b) => b !== preferred)];
    reason = `chosen by the user`;
  } else if (gpu && !gpu.isFallbackAdapter) {
    order = ['webgpu', 'wasm', 'webgl', 'cpu'];
    reason = 'a hardware WebGPU adapter is available';
  } else {
    order = ['wasm', 'webgpu', 'webgl', 'cpu'];
    reason = gpu ? 'the only WebGPU adapter is a software fallback: WASM is faster' : 'WebGPU is not available in this browser';
  }
  const failures: string[] = [];
  for (const name of order) {
    if (name === 'webgpu' && !gpu) continue;
    const failure = await trySetBackend(name, baseUrl);
    if (failure) failures.push(failure);
    else {
      await tf.ready();
      if (failures.length > 0) reason = `fell back to ${name} (${failures.join('; ')})`;
      return {
        backend: name,
        adapter: describe(name, gpu),
        tfjs: tf.version.tfjs,
        available: await listAvailable(gpu),
        reason,
        isFallbackAdapter: name === 'webgpu' && Boolean(gpu?.isFallbackAdapter),
      };
    }
  }
  throw new Error(`No TensorFlow.js backend could start (${failures.join('; ')}). Try an up-to-date Chrome or Edge.`);
}

/** Backends registered and plausibly usable here, best first (not initialised, so this is cheap). */
async function listAvailable(gpu: WebGpuProbe | null): Promise<BackendName[]> {
  const hasWebGl = typeof OffscreenCanvas !== 'undefined' && new OffscreenCanvas(1, 1).getContext('webgl2') !== null;
  return BACKEND_NAMES.filter((name) => (name === 'webgpu' ? gpu !== null : name === 'webgl' ? hasWebGl : true));
}

/**
 * Calls `onLost` once if the active backend's WebGPU device is lost (driver reset, GPU removed,
 * the browser reclaiming it). Nothing for other backends.
 */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  void device?.lost.then((info) => onLost(info.message || info.reason || 'unknown reason'));
}
