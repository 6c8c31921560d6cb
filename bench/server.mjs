// The benchmark's static server on 127.0.0.1 (random free port): the release build (dist/) at
// `/`, and under `/__bench/` the harness's page scripts and the JavaScript libraries of the
// other arms, from bench/node_modules — all same-origin, nothing from a CDN.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

/** The JavaScript libraries of the reference arms, by the name they are served under. */
export const LIBS = {
  'papaparse.min.js': 'node_modules/papaparse/papaparse.min.js',
  'uDSV.iife.min.js': 'node_modules/udsv/dist/uDSV.iife.min.js',
  'jstat.min.js': 'node_modules/jstat/dist/jstat.min.js',
};

function resolvePath(dist, path) {
  const clean = normalize(path).replace(/^(\.\.[/\\])+/, '');
  if (clean.startsWith('/__bench/lib/')) {
    const lib = LIBS[clean.slice('/__bench/lib/'.length)];
    return lib ? join(HERE, lib) : null;
  }
  if (clean.startsWith('/__bench/')) return join(HERE, 'page', clean.slice('/__bench/'.length));
  return join(dist, clean === '/' ? 'index.html' : clean);
}

export async function serve(dist) {
  const server = http.createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = resolvePath(dist, path);
    try {
      if (!file) throw new Error('unknown');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}
