/**
 * Vite plugin: the lab's CPU kernels, compiled from AssemblyScript by the normal build. The module
 * `virtual:cpu-kernels` exports `cpuKernelUrls`, one URL per build (variant.ts CPU_KERNEL_BUILDS):
 * in `vite build` each build is emitted as an asset next to the chunk that imports it (so it follows
 * the app wherever it is served); under `vite` (dev) the URLs point at this plugin's middleware,
 * which compiles on request, and an edit to an AssemblyScript file reloads the page.
 */
import type { Plugin } from 'vite';
import { ASSEMBLY_DIR, assemblySources, compileCpuKernels } from './compile.ts';
import { CPU_KERNEL_BUILDS } from '../../src/ml/cpu/variant.ts';

const VIRTUAL = 'virtual:cpu-kernels';
const RESOLVED = `\0${VIRTUAL}`;
const DEV_PREFIX = '/@expression-lab-cpu-kernels/';

export function cpuKernelsPlugin(): Plugin {
  let building = false;
  return {
    name: 'expression-lab-cpu-kernels',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      for (const file of assemblySources()) this.addWatchFile(file);
      const entries: string[] = [];
      for (const build of CPU_KERNEL_BUILDS) {
        if (building) {
          const ref = this.emitFile({ type: 'asset', name: `cpu-kernels-${build.name}.wasm`, source: await compileCpuKernels(build) });
          entries.push(`${JSON.stringify(build.name)}: import.meta.ROLLUP_FILE_URL_${ref}`);
        } else {
          // A plain path: Vite would rewrite `new URL(path, import.meta.url)` into /@fs/….
          entries.push(`${JSON.stringify(build.name)}: ${JSON.stringify(`${DEV_PREFIX}${build.name}.wasm`)}`);
        }
      }
      return `/** URL of each build of the CPU kernels, by build name. */\nexport const cpuKernelUrls = { ${entries.join(', ')} };\n`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.startsWith(DEV_PREFIX) ? req.url.slice(DEV_PREFIX.length).replace(/\.wasm(\?.*)?$/, '') : null;
        const build = CPU_KERNEL_BUILDS.find((b) => b.name === name);
        if (!build) return next();
        compileCpuKernels(build).then(
          (binary) => {
            res.setHeader('Content-Type', 'application/wasm');
            res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
            res.end(Buffer.from(binary));
          },
          (err: unknown) => {
            server.config.logger.error(String(err));
            res.statusCode = 500;
            res.end(String(err));
          },
        );
      });
      server.watcher.add(ASSEMBLY_DIR);
      server.watcher.on('change', (file) => {
        if (file.startsWith(ASSEMBLY_DIR)) server.ws.send({ type: 'full-reload' });
      });
    },
  };
}
