import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { preview, type Plugin, type PreviewServer } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The built app; LAB_DIST points elsewhere (e.g. a copy a long benchmark keeps while `dist/` is rebuilt). */
export const DIST = process.env.LAB_DIST ? resolve(process.env.LAB_DIST) : join(ROOT, 'dist');

export interface LabServer {
  readonly url: string;
  /** Makes a local file fetchable by the page at the returned path (only files named here are served). */
  offer(path: string): string;
  /** Same for bytes held in memory (e.g. an entry of a zip named on the command line). */
  offerBytes(bytes: Uint8Array): string;
  close(): Promise<void>;
}

/**
 * Serves the built app (with the same COOP/COEP headers as `npm run preview`) on 127.0.0.1 plus
 * one route for the `lab` page: GET `/__lab/input/<n>`, a file named on the command line.
 */
export async function startLabServer(): Promise<LabServer> {
  if (!existsSync(join(DIST, 'lab.html'))) {
    throw new Error('The app is not built (dist/lab.html is missing). Run `npm run build` first.');
  }
  const inputs: (string | Uint8Array)[] = [];
  const routes: Plugin = {
    name: 'lab-routes',
    configurePreviewServer(server) {
      server.middlewares.use('/__lab/input/', (req, res) => {
        const file = inputs[Number((req.url ?? '').replace(/^\//, ''))];
        if (file === undefined) return void res.writeHead(404).end('unknown input');
        if (typeof file !== 'string')
          return void res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.byteLength }).end(file);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': statSync(file).size });
        createReadStream(file).pipe(res);
      });
    },
  };
  const server: PreviewServer = await preview({
    root: ROOT,
    logLevel: 'silent',
    build: { outDir: DIST },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    plugins: [routes],
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The lab server did not report its address.');
  return {
    url,
    offer(path) {
      inputs.push(resolve(path));
      return `/__lab/input/${inputs.length - 1}`;
    },
    offerBytes(bytes) {
      inputs.push(bytes);
      return `/__lab/input/${inputs.length - 1}`;
    },
    close: () => server.close(),
  };
}
