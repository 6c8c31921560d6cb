// Builds dist/lantern-offline.html: the whole app in one file (JS, wasm and CSS inside),
// with `connect-src 'none'`, so it runs from file:// with the network off. Run by Trunk after
// each build (Trunk.toml [[hooks]]), or by hand: node scripts/single-file.mjs [dist-dir].
// The inline script and style are allowed by their SHA-256 hashes, not by 'unsafe-inline'.
// The worker (loader and wasm) rides along in two inert <script type="text/plain"> blocks;
// the page joins them into a blob and starts the worker from it (`worker-src blob:`).
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dist = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
const js = await readFile(join(dist, 'lantern.js'), 'utf8');
const wasm = await readFile(join(dist, 'lantern_bg.wasm'));
const css = await readFile(join(dist, 'main.css'), 'utf8');
const workerJs = await readFile(join(dist, 'worker.js'), 'utf8');
const workerWasm = (await readFile(join(dist, 'worker_bg.wasm'))).toString('base64');
if (/<\/script/i.test(workerJs)) throw new Error('worker.js contains "</script": it cannot be inlined as is');

// The module's own exports stay (valid in an inline module); it is started with the bytes.
const script = `${js}
const lanternWasm = Uint8Array.from(atob("${wasm.toString('base64')}"), (c) => c.charCodeAt(0));
__wbg_init({ module_or_path: lanternWasm }).catch((err) => {
  const box = document.getElementById('fatal');
  if (box) { box.hidden = false; box.setAttribute('role', 'alert'); box.textContent = 'Lantern could not start in this browser: ' + err; }
});
`;
const sha = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const csp = [
  "default-src 'none'",
  `script-src ${sha(script)} 'wasm-unsafe-eval'`,
  `style-src ${sha(css)}`,
  "img-src data: blob:",
  "connect-src 'none'",
  "worker-src blob:",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="lantern-build" content="single-file">
<title>Lantern (offline copy)</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%23f2b705'/%3E%3C/svg%3E">
<style>${css}</style>
</head>
<body>
<div id="fatal" class="fatal" hidden></div>
<noscript><p class="fatal">Lantern needs JavaScript and WebAssembly. Nothing you load leaves this device.</p></noscript>
<div id="app"></div>
<script type="text/plain" id="lantern-worker-js">${workerJs}</script>
<script type="text/plain" id="lantern-worker-wasm">${workerWasm}</script>
<script type="module">${script}</script>
</body>
</html>
`;
await writeFile(join(dist, 'lantern-offline.html'), html);
console.log(`single-file build: ${join(dist, 'lantern-offline.html')} (${(html.length / 1024).toFixed(0)} KiB)`);
