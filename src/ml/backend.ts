import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, type BackendInfo, type BackendName } from '../shared/types.ts';
import { activeCpuEngine, setActiveCpuEngine } from './cpu/active-engine.ts';
import { startBrowserCpuEngine } from './cpu/browser-engine.ts';
import { registerCpuTrainingKernels } from './cpu/kernels/register.ts';
import { captureWasmHeapMemory, wasmHeapAllocator, wasmHeapMemory } from './cpu/tfjs-wasm-heap.ts';
import { chooseFma, describeCpuVariant, detectCpuFeatures, type CpuVariantChoice } from './cpu/variant.ts';
import { registerWebGpuTrainingKernels } from './webgpu/register.ts';

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

/** Workers tfjs-backend-wasm 4.22's threaded build starts up front; more would be created lazily and can deadlock. */
const WASM_PTHREAD_POOL = 8;

/**
 * Runs `start` (the first `setBackend('wasm')`) with tfjs-backend-wasm's own XNNPACK thread pool
 * sized: 'one' for training (our CPU kernels do the heavy work on threads of their own, and XNNPACK's
 * workers spin after each op they run, taking a core from ours), 'all' for a benchmark of XNNPACK
 * itself. Left alone the backend takes half of `navigator.hardwareConcurrency` (it assumes
 * hyper-threads) and `setThreadsCount` cannot raise it past that half, so for 'all'
 * `hardwareConcurrency` reads twice the cores while the backend starts, and is restored after.
 * Either way the threaded build runs where the page is cross-origin isolated: a shared memory, so
 * our threads can work on its heap.
 */
async function withXnnpackThreads<T>(threads: 'one' | 'all', start: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as { hardwareConcurrency?: number } | undefined;
  if (threads === 'one' || nav === undefined) {
    setThreadsCount(1);
    return start();
  }
  const count = Math.min(Math.max(1, nav.hardwareConcurrency ?? 1), WASM_PTHREAD_POOL);
  setThreadsCount(count);
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * count, configurable: true });
  try {
    return await start();
  } finally {
    delete nav.hardwareConcurrency;
  }
}

/** How the backends start (tests and benchmarks choose; the app takes the defaults). */
export interface BackendOptions {
  /** The CPU kernels' instruction set: 'auto' (FMA where relaxed SIMD validates), or forced. */
  readonly cpuVariant?: CpuVariantChoice;
  /** tfjs-wasm's own XNNPACK threads: 'one' (default, for training) or 'all' (to benchmark XNNPACK). */
  readonly xnnpackThreads?: 'one' | 'all';
  /** WebGPU: the lab's kernels over tfjs-webgpu's (default), or tfjs-webgpu's own alone (to benchmark them). */
  readonly webgpuKernels?: 'lab' | 'built-in';
}

/** Most helper threads the CPU kernels start: past this, a step gains little and memory for stacks grows. */
const CPU_KERNEL_MAX_THREADS = 16;

/**
 * Starts tfjs-backend-wasm (its XNNPACK keeps the ops we do not replace) and the lab's CPU kernels
 * on its heap: every core when the page is cross-origin isolated (tfjs-wasm then runs its threaded
 * build on a shared memory), one thread otherwise. Without WebAssembly SIMD the kernels cannot run,
 * and wasm is refused so that the next backend is tried.
 */
async function startWasm(baseUrl: string, options: BackendOptions): Promise<string | null> {
  setWasmPaths(new URL(WASM_PATH, baseUrl).href);
  registerCpuTrainingKernels();
  const features = await detectCpuFeatures();
  if (!features.simd) return "wasm: this browser's WebAssembly has no SIMD, which the lab's CPU kernels need";
  const ok = await captureWasmHeapMemory(() => withXnnpackThreads(options.xnnpackThreads ?? 'one', () => tf.setBackend('wasm')));
  if (!ok) return 'wasm did not initialise';
  if (activeCpuEngine() === null) {
    const backend = tf.backend();
    const memory = wasmHeapMemory(backend);
    const cores = Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
    const engine = await startBrowserCpuEngine(
      memory,
      wasmHeapAllocator(backend),
      Math.min(cores, CPU_KERNEL_MAX_THREADS),
      chooseFma(features, options.cpuVariant ?? 'auto'),
    );
    setActiveCpuEngine(engine);
  }
  return null;
}

/** Initialises one backend; resolves to null on success or to why it failed. */
async function trySetBackend(name: BackendName, baseUrl: string, options: BackendOptions): Promise<string | null> {
  try {
    if (name === 'wasm') return await startWasm(baseUrl, options);
    if (name === 'webgpu' && options.webgpuKernels !== 'built-in') registerWebGpuTrainingKernels();
    const ok = await tf.setBackend(name);
    return ok ? null : `${name} did not initialise`;
  } catch (err) {
    return `${name}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function describe(name: BackendName, gpu: WebGpuProbe | null): string {
  switch (name) {
    case 'webgpu':
      return gpu ? `${gpu.description}${gpu.isFallbackAdapter ? ' (fallback adapter)' : ''}` : 'WebGPU';
    case 'wasm': {
      const engine = activeCpuEngine();
      const variant = describeCpuVariant(engine?.fma ?? false, engine?.threads ?? 1);
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
      return isolated ? variant : `${variant} (page not cross-origin isolated: no threads)`;
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
 * `baseUrl` resolves the WASM files (the worker passes its own location's origin + base path);
 * `options` tune how WASM starts.
 */
export async function chooseBackend(preferred: BackendName | 'auto', baseUrl: string, options: BackendOptions = {}): Promise<BackendInfo> {
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
    const failure = await trySetBackend(name, baseUrl, options);
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
        threads: name === 'wasm' ? (activeCpuEngine()?.threads ?? 1) : null,
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
 * the browser reclaiming it) while WebGPU is still the backend in use. Nothing for other backends.
 */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  void webGpuDevice()?.lost.then((info) => {
    if (tf.getBackend() === 'webgpu') onLost(info.message || info.reason || 'unknown reason');
  });
}

/** The active backend's WebGPU device, or null on other backends. */
function webGpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/** For tests: destroys the WebGPU device (its `lost` promise resolves, as on a driver reset). */
export function destroyWebGpuDevice(): void {
  const device = webGpuDevice();
  if (!device) throw new Error(`The backend is ${tf.getBackend()}, not WebGPU: there is no GPU device to lose.`);
  device.destroy();
}
