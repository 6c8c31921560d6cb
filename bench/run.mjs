// Lantern's benchmark: Lantern against PapaParse and uDSV (+ the same JavaScript statistics),
// interleaved in one Debian Chromium run driven by playwright-core. See README.md, "Performance".
//
//   node bench/run.mjs [--quick] [--full] [--samples N] [--native] [--update-readme]
//                      [--dist DIR] [--no-memory] [--linking-only]
//
// Writes bench/results/latest.json and bench/results/latest.md (and, with --update-readme, the
// table between the bench markers in README.md). Exits 1 when the first-load bundle (gzip) grew
// more than 10 % over bench/baseline.json, or when an arm failed.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serve } from './server.mjs';
import { writeFixture, mulberry32, waveFiles } from './fixtures.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');
const FIXTURES = join(HERE, '.fixtures');
const RESULTS = join(HERE, 'results');
const GEN_VERSION = 1; // bump when fixtures.mjs changes what it writes

// ---- options ----------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f, d) => {
  const i = argv.indexOf(f);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : d;
};
const QUICK = flag('--quick');
const FULL = flag('--full');
const SAMPLES = Math.max(1, Number(value('--samples', QUICK ? 10 : 10)));
const DIST = value('--dist', join(ROOT, 'dist'));
const ARMS = ['lantern', 'papa', 'udsv'];
const LABEL = { lantern: 'Lantern (wasm worker)', papa: 'PapaParse + JS stats', udsv: 'uDSV + JS stats' };

/** The fixtures of this run: [rows, variant]. `--only 1M-plain,100k-crlf` picks some. */
function plan() {
  const only = value('--only', null);
  if (only) {
    return only.split(',').map((f) => {
      const [r, v] = f.split('-');
      return [Number(r.replace(/k$/i, 'e3').replace(/M$/, 'e6')), v ?? 'plain'];
    });
  }
  if (QUICK) return [[1000, 'plain'], [10000, 'plain'], [100000, 'plain'], [10000, 'quoted'], [10000, 'crlf'], [10000, 'missing']];
  const p = [[1000, 'plain'], [10000, 'plain'], [100000, 'plain'], [1000000, 'plain'], [100000, 'quoted'], [100000, 'crlf'], [100000, 'missing']];
  if (FULL) p.push([1000000, 'quoted'], [1000000, 'crlf'], [1000000, 'missing']);
  return p;
}
const MEMORY_ROWS = QUICK ? 100000 : 1000000;

// ---- small helpers ------------------------------------------------------------------------------
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const log = (...a) => console.error('[bench]', ...a);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const median = (xs) => quantile(xs, 0.5);
/** Median of `xs` with a percentile bootstrap 95 % interval (2,000 resamples, fixed seed). */
function medianCI(xs, B = 2000) {
  const rand = mulberry32(12345);
  const meds = [];
  for (let b = 0; b < B; b++) {
    const r = xs.map(() => xs[Math.floor(rand() * xs.length)]);
    meds.push(median(r));
  }
  return { median: median(xs), lo: quantile(meds, 0.025), hi: quantile(meds, 0.975) };
}
const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRows = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const fmtMB = (b) => (b / 1e6).toFixed(b >= 1e7 ? 0 : b >= 1e6 ? 1 : 2);

// ---- environment --------------------------------------------------------------------------------
function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
function gitCommit() {
  // Read .git directly (no git command): HEAD → ref → commit.
  try {
    const head = readFileSync(join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref:')) return head;
    const ref = head.slice(5).trim();
    const loose = join(ROOT, '.git', ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(join(ROOT, '.git', 'packed-refs'), 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`));
    return packed ? packed.split(' ')[0] : null;
  } catch {
    return null;
  }
}
const pkgVersion = (name) => JSON.parse(readFileSync(join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version;
function environment(browserVersion) {
  const lock = readFileSync(join(ROOT, 'Cargo.lock'), 'utf8');
  const wb = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock);
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1e6),
    kernel: sh('uname', ['-r']),
    chromium: browserVersion,
    node: process.version,
    'playwright-core': pkgVersion('playwright-core'),
    papaparse: pkgVersion('papaparse'),
    udsv: pkgVersion('udsv'),
    jstat: pkgVersion('jstat'),
    rustc: sh('rustc', ['--version']),
    'wasm-bindgen': wb ? wb[1] : null,
    commit: gitCommit(),
    load_before: loadavg().map((x) => +x.toFixed(2)),
  };
}

// ---- bundle size --------------------------------------------------------------------------------
/** What the page fetches on first load (index.html names them; the worker starts at once). */
const FIRST_LOAD = ['index.html', 'boot.js', 'lantern.js', 'lantern_bg.wasm', 'main.css', 'worker.js', 'worker_bg.wasm'];
function bundleSizes() {
  const files = {};
  let raw = 0, gzip = 0;
  for (const f of FIRST_LOAD) {
    const p = join(DIST, f);
    if (!existsSync(p)) continue;
    const b = readFileSync(p);
    const g = gzipSync(b, { level: 9 }).length;
    files[f] = { raw: b.length, gzip: g };
    raw += b.length;
    gzip += g;
  }
  return { files, raw, gzip };
}
function checkBundle(size) {
  const path = join(HERE, 'baseline.json');
  if (flag('--set-baseline')) {
    writeFileSync(path, JSON.stringify({ note: 'First-load bundle of the release build (gzip -9); bench/run fails when it grows more than 10 % over this. Reset with bench/run --set-baseline.', gzip: size.gzip, raw: size.raw, files: size.files }, null, 2) + '\n');
  }
  if (!existsSync(path)) return { baseline_gzip: null, growth: 0, ok: true, note: 'no bench/baseline.json (bench/run --set-baseline writes it)' };
  const base = JSON.parse(readFileSync(path, 'utf8'));
  const growth = size.gzip / base.gzip - 1;
  return { baseline_gzip: base.gzip, growth, ok: growth <= 0.1 };
}

// ---- fixtures -----------------------------------------------------------------------------------
async function fixture(rows, variant) {
  const name = `survey-${fmtRows(rows)}-${variant}.csv`;
  const path = join(FIXTURES, name);
  const meta = `${path}.v${GEN_VERSION}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    if (m.bytes === readFileSync(path).length) return { rows, variant, name, path, bytes: m.bytes, sha256: m.sha256 };
  }
  const info = await writeFixture(rows, variant, path);
  writeFileSync(meta, JSON.stringify(info));
  return { rows, variant, name, path, bytes: info.bytes, sha256: info.sha256 };
}
/** A hard link (or copy) of the fixture under a new name: each Lantern run loads a new file name. */
function alias(fx, tag) {
  const dir = join(FIXTURES, 'runs');
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `${basename(fx.name, '.csv')}.${tag}.csv`);
  if (!existsSync(p)) {
    try {
      linkSync(fx.path, p);
    } catch {
      copyFileSync(fx.path, p);
    }
  }
  return p;
}

// ---- browser ------------------------------------------------------------------------------------
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Lantern's page, with the timing hooks of arms.js (same origin, so its CSP allows the script). */
async function openApp(context, url, errors) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`app: ${e}`));
  await page.goto(`${url}/#/change`);
  // The app loads its demo data on start; wait until that is done.
  await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
  await page.addScriptTag({ url: `${url}/__bench/arms.js` });
  await page.waitForFunction(() => globalThis.__bench);
  return page;
}

/** The JavaScript arms' page (same origin, without Lantern's CSP: uDSV needs new Function()). */
async function openJs(context, url, errors) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`js: ${e}`));
  await page.goto(`${url}/__bench/js.html`);
  await page.waitForFunction(() => globalThis.__bench && globalThis.Papa && globalThis.uDSV && globalThis.jStat && globalThis.benchStats);
  return page;
}

let runCounter = 0;
/** One timed run of one arm on one fixture (`pages`: {lantern, js}). */
async function runArm(pages, arm, fx) {
  runCounter++;
  const page = arm === 'lantern' ? pages.lantern : pages.js;
  await page.bringToFront();
  if (arm === 'lantern') {
    const file = alias(fx, `r${runCounter}`);
    const name = basename(file);
    await page.evaluate((n) => globalThis.__bench.armLantern(n), name);
    await page.setInputFiles('[data-testid="data-file"]', file);
    const r = await page.evaluate(() => globalThis.__bench.waitLantern());
    return r;
  }
  await page.evaluate((a) => globalThis.__bench.armJs(a), arm);
  await page.setInputFiles('#__bench_file', fx.path);
  return page.evaluate(() => globalThis.__bench.waitJs());
}

// ---- memory (Linux /proc) -----------------------------------------------------------------------
/** Renderer processes of the browser started by this Node process. */
function renderers() {
  const procs = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      procs.push({ pid: Number(d), ppid: Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]) });
    } catch { /* gone */ }
  }
  const kids = new Map();
  for (const p of procs) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(p.pid);
  }
  const out = [];
  const walk = (pid) => {
    for (const k of kids.get(pid) ?? []) {
      try {
        if (readFileSync(`/proc/${k}/cmdline`, 'utf8').includes('--type=renderer')) out.push(k);
      } catch { /* gone */ }
      walk(k);
    }
  };
  walk(process.pid);
  return out;
}
function procMem(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}
/** Peak resident memory added by one cold run of `arm` in a fresh browser context (its own renderer). */
async function memoryRun(browser, url, arm, fx) {
  const context = await browser.newContext();
  try {
    const page = arm === 'lantern' ? await openApp(context, url, []) : await openJs(context, url, []);
    const pages = { lantern: page, js: page };
    await sleep(500);
    const pids = renderers();
    const before = new Map(pids.map((p) => [p, procMem(p).rss]));
    for (const p of pids) {
      try {
        writeFileSync(`/proc/${p}/clear_refs`, '5'); // resets VmHWM to the current RSS
      } catch { /* not allowed: HWM then covers the page's whole life */ }
    }
    const r = await runArm(pages, arm, fx);
    let peak = 0, rssAfter = 0, base = 0;
    for (const p of pids) {
      const m = procMem(p);
      const grew = m.hwm - (before.get(p) ?? 0);
      if (grew > peak) {
        peak = grew;
        rssAfter = m.rss;
        base = before.get(p) ?? 0;
      }
    }
    return { arm, ms: r.ms, error: r.error, peak_added_bytes: peak, renderer_rss_before: base, renderer_rss_after: rssAfter, times_file: peak / fx.bytes };
  } finally {
    await context.close();
  }
}

// ---- start-up -----------------------------------------------------------------------------------
async function startup(browser, url, n) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      // Time when the app has mounted and its file input exists (CSP does not apply to init scripts).
      const mark = () => {
        if (!globalThis.__ttiMounted && document.querySelector('[data-testid="data-file"]')) globalThis.__ttiMounted = performance.now();
        const s = document.querySelector('[data-testid="status"]');
        if (!globalThis.__ttiReady && s && s.getAttribute('data-state') === 'ready') globalThis.__ttiReady = performance.now();
      };
      new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(`${url}/#/change`);
    await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
    // The app's own performance marks (src/ui/app.rs); the observer's times as a cross-check
    // (and for builds older than the marks).
    await page.waitForFunction(() => performance.getEntriesByName('lantern:first-results').length > 0, null, { timeout: 2000 }).catch(() => {});
    samples.push(await page.evaluate(() => ({
      mounted: performance.getEntriesByName('lantern:interactive')[0]?.startTime ?? globalThis.__ttiMounted,
      demo_ready: performance.getEntriesByName('lantern:first-results')[0]?.startTime ?? globalThis.__ttiReady,
      observed_mounted: globalThis.__ttiMounted,
      observed_ready: globalThis.__ttiReady,
      transfer: performance.getEntriesByType('resource').reduce((s, e) => s + (e.encodedBodySize || 0), 0)
        + (performance.getEntriesByType('navigation')[0]?.encodedBodySize || 0),
    })));
    await context.close();
  }
  return {
    samples: n,
    mounted_ms: median(samples.map((s) => s.mounted)),
    demo_ready_ms: median(samples.map((s) => s.demo_ready)),
    observed_mounted_ms: median(samples.map((s) => s.observed_mounted)),
    observed_ready_ms: median(samples.map((s) => s.observed_ready)),
    transfer_bytes: median(samples.map((s) => s.transfer)),
  };
}

// ---- wave linking (issue #19) ------------------------------------------------------------------
/** Arms a timer in the page: from the next change event of `sel` until the status is ready again. */
async function armTimer(page, sel) {
  await page.evaluate((s) => {
    globalThis.__lt = { t0: null, t1: null, busy: false };
    document.querySelector(s).addEventListener('change', () => { globalThis.__lt.t0 = performance.now(); }, { once: true, capture: true });
    const status = document.querySelector('[data-testid="status"]');
    const obs = new MutationObserver(() => {
      if (status.getAttribute('data-state') !== 'ready') globalThis.__lt.busy = true;
      else if (globalThis.__lt.busy && globalThis.__lt.t0 !== null) { globalThis.__lt.t1 = performance.now(); obs.disconnect(); }
    });
    obs.observe(status, { attributes: true, attributeFilter: ['data-state'] });
  }, sel);
}
async function timed(page) {
  await page.waitForFunction(() => globalThis.__lt.t1 !== null, null, { timeout: 120000 });
  return page.evaluate(() => globalThis.__lt.t1 - globalThis.__lt.t0);
}

/**
 * Two wave files chosen together with a recipe that links them (max_distance 1): time from the
 * data-file input's change event until results are on screen (both files read in the worker,
 * linked, the linked table built and analysed, drawn), against the same people already merged
 * into one file (the same analysis without linking) in alternating runs, each in a fresh page.
 * Lantern only: none of the JavaScript arms links files.
 */
async function linking(browser, url, rows, n) {
  const w = waveFiles(rows);
  const file = (name, text, type = 'text/csv') => ({ name, mimeType: type, buffer: Buffer.from(text) });
  const recipe = JSON.stringify({
    link: { waves: { pre: 'wave before.csv', post: 'wave after.csv' }, code: ['code'], max_distance: 1 },
    columns: { pre: 'pre_score', post: 'post_score', group: 'pre_group' },
    group_levels: { intervention: 'program', control: 'waiting' },
  });
  const mergedRecipe = JSON.stringify({
    columns: { pre: 'pre_score', post: 'post_score', group: 'pre_group' },
    group_levels: { intervention: 'program', control: 'waiting' },
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const fresh = async () => {
    await page.goto('about:blank');
    await page.goto(`${url}/#/change`);
    await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
  };
  const two = [], one = [];
  let reading = '';
  let merged_n = '';
  try {
    for (let run = 0; run <= n; run++) {
      await fresh();
      await page.setInputFiles('[data-testid="recipe-file"]', file('lantern-recipe.json', recipe, 'application/json'));
      await page.waitForSelector('[data-testid="status"][data-state="ready"]');
      await armTimer(page, '[data-testid="data-file"]');
      await page.setInputFiles('[data-testid="data-file"]', [file('wave before.csv', w.pre), file('wave after.csv', w.post)]);
      const t2 = await timed(page);
      if (run === 0) reading = ((await page.textContent('[data-testid="linkage-summary"]').catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 240);
      await fresh();
      await page.setInputFiles('[data-testid="recipe-file"]', file('lantern-recipe.json', mergedRecipe, 'application/json'));
      await page.waitForSelector('[data-testid="status"][data-state="ready"]');
      await armTimer(page, '[data-testid="data-file"]');
      await page.setInputFiles('[data-testid="data-file"]', file('merged.csv', w.merged));
      const t1 = await timed(page);
      if (run === 0) merged_n = await page.evaluate(() => document.querySelector('[data-testid="status"]')?.textContent ?? '');
      if (run > 0) { two.push(t2); one.push(t1); } // run 0 warms up
    }
  } finally {
    await context.close();
  }
  return {
    rows, post_rows: w.post.split('\n').length - 2, samples: n,
    two_files_ms: median(two), merged_file_ms: median(one), added_ms: median(two.map((x, i) => x - one[i])),
    two_files_samples_ms: two.map((x) => +x.toFixed(1)), merged_file_samples_ms: one.map((x) => +x.toFixed(1)), reading, merged_status: merged_n.replace(/\s+/g, ' ').slice(0, 200),
  };
}

// ---- native timing (optional) -------------------------------------------------------------------
function nativeTiming(fxs) {
  // The worker's profile (opt-level 3), so the numbers compare with the browser's.
  log('native: cargo build --profile worker-release --example ingest_timing');
  execFileSync('cargo', ['build', '--profile', 'worker-release', '--offline', '--example', 'ingest_timing'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const bin = join(ROOT, 'target', 'worker-release', 'examples', 'ingest_timing');
  return fxs.map((fx) => JSON.parse(execFileSync(bin, [fx.path, '5'], { encoding: 'utf8' }).trim()));
}

// ---- report -------------------------------------------------------------------------------------
function markdown(res) {
  const e = res.environment;
  const lines = [];
  lines.push(`Measured ${res.date.slice(0, 10)} on ${e.cpu} (${e.cores} cores, ${e.memory_gb} GB), Chromium ${e.chromium} headless via playwright-core ${e['playwright-core']}; `
    + `PapaParse ${e.papaparse}, uDSV ${e.udsv}, jStat ${e.jstat}; ${e.rustc}; commit ${e.commit ? e.commit.slice(0, 10) : 'unknown'}. `
    + `${res.samples} warm samples per arm, interleaved; time from the file input's change event to results on screen (Lantern) or to the statistics computed (JS arms). `
    + `Ratios are medians of per-sample ratios (JS arm ÷ Lantern) with a bootstrap 95 % interval.`);
  lines.push('');
  lines.push('| file | size | Lantern ms (p25–p75) | PapaParse ms | uDSV ms | Papa ÷ Lantern | uDSV ÷ Lantern | Lantern MB/s | longest main-thread task: Lantern / Papa / uDSV (ms) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of res.fixtures) {
    const a = f.arms;
    const r = (k) => `${f.ratios[k].median.toFixed(1)}× (${f.ratios[k].lo.toFixed(1)}–${f.ratios[k].hi.toFixed(1)})`;
    lines.push(`| ${fmtRows(f.rows)} ${f.variant} | ${fmtMB(f.bytes)} MB | ${fmtMs(a.lantern.median_ms)} (${fmtMs(a.lantern.p25_ms)}–${fmtMs(a.lantern.p75_ms)}) | ${fmtMs(a.papa.median_ms)} | ${fmtMs(a.udsv.median_ms)} | ${r('papa')} | ${r('udsv')} | ${a.lantern.mb_per_s.toFixed(0)} | ${ARMS.map((k) => fmtMs(a[k].longest_task_ms)).join(' / ')} |`);
  }
  if (res.memory?.length) {
    lines.push('');
    lines.push(`Peak memory, one cold run of the ${fmtRows(res.memory[0].rows)} plain file (${fmtMB(res.memory[0].bytes)} MB) in a fresh tab: resident memory the tab's renderer process added at its peak (Linux VmHWM).`);
    lines.push('');
    lines.push('| arm | peak added | × file size |');
    lines.push('|---|---:|---:|');
    for (const m of res.memory) lines.push(`| ${LABEL[m.arm]} | ${fmtMB(m.peak_added_bytes)} MB | ${m.times_file.toFixed(1)}× |`);
  }
  if (res.startup) {
    const s = res.startup;
    lines.push('');
    lines.push(`Start-up (median of ${s.samples} fresh tabs, localhost; the app's performance marks \`lantern:interactive\` and \`lantern:first-results\`): app drawn and taking input at ${fmtMs(s.mounted_ms)} ms, demo analysed and on screen at ${fmtMs(s.demo_ready_ms)} ms. `
      + `First-load bundle ${fmtMB(res.bundle.gzip)} MB gzip (${fmtMB(res.bundle.raw)} MB raw; ${res.bundle_check.baseline_gzip ? `baseline ${fmtMB(res.bundle_check.baseline_gzip)} MB, ${res.bundle_check.growth >= 0 ? '+' : ''}${(res.bundle_check.growth * 100).toFixed(1)} %` : 'no baseline'}).`);
  }
  if (res.linking?.length) {
    lines.push('');
    lines.push(`Wave linking (Lantern only; median of ${res.linking[0].samples} fresh pages): a before and an after file chosen together with a recipe that links them by an 8-character code, \`max_distance\` 1 (80 % answer after, 5 % of them with one typing slip, 5 % of the after rows new), from the input's change event to linked results on screen, against the same people already merged into one file (one row each, as linking builds it; the same analysis); the difference is what separate wave files cost: reading two files, linking them and building the linked table.`);
    lines.push('');
    lines.push('| rows per wave (before / after) | two wave files, linked ms | one merged file ms | added by separate files and linking ms |');
    lines.push('|---|---:|---:|---:|');
    for (const l of res.linking) lines.push(`| ${fmtRows(l.rows)} / ${l.post_rows} | ${fmtMs(l.two_files_ms)} | ${fmtMs(l.merged_file_ms)} | ${fmtMs(l.added_ms)} |`);
  }
  if (res.native?.length) {
    lines.push('');
    lines.push('Native, same code and profile as the worker (`cargo run --profile worker-release --example ingest_timing -- file.csv`, median of 5; peak heap: the most the allocator held at once while reading, summarising and analysing, the file\'s bytes included and let go after reading as in the worker):');
    lines.push('');
    lines.push('| file | read ms | summary ms | analyse ms | read MB/s | peak heap MB (× file) |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const n of res.native) lines.push(`| ${n.file} | ${n.read_ms} | ${n.summary_ms} | ${n.analyse_ms} | ${n.read_mb_s} | ${n.peak_heap_mb} (${n.peak_x_file}×) |`);
  }
  return lines.join('\n') + '\n';
}

function updateReadme(md) {
  const path = join(ROOT, 'README.md');
  const text = readFileSync(path, 'utf8');
  const start = '<!-- bench:start -->', end = '<!-- bench:end -->';
  const i = text.indexOf(start), j = text.indexOf(end);
  if (i < 0 || j < i) {
    log('README.md has no bench markers; not updated');
    return;
  }
  writeFileSync(path, text.slice(0, i + start.length) + '\n' + md + text.slice(j));
  log('README.md performance table updated');
}

// ---- main ---------------------------------------------------------------------------------------
async function main() {
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error(`No release build in ${DIST}: run \`trunk build --release --offline\` first (bench/run --build does).`);
    process.exit(2);
  }
  const started = Date.now();
  log(`plan: ${plan().map(([r, v]) => `${fmtRows(r)} ${v}`).join(', ')}; ${SAMPLES} samples per arm`);
  const fxs = [];
  for (const [rows, variant] of plan()) fxs.push(await fixture(rows, variant));
  rmSync(join(FIXTURES, 'runs'), { recursive: true, force: true });

  const server = await serve(DIST);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const res = { date: new Date().toISOString(), samples: SAMPLES, quick: QUICK, environment: environment(browser.version()), fixtures: [] };
  let failed = false;
  try {
    res.linking = [];
    for (const rows of QUICK ? [10000] : [10000, 100000]) {
      const l = await linking(browser, server.url, rows, Math.min(SAMPLES, 5));
      res.linking.push(l);
      log(`linking ${fmtRows(rows)} per wave: ${fmtMs(l.two_files_ms)} ms two wave files, ${fmtMs(l.merged_file_ms)} ms one merged file (+${fmtMs(l.added_ms)} ms)`);
    }
    if (flag('--linking-only')) {
      console.log(markdown(res));
      return;
    }
    const context = await browser.newContext();
    const errors = [];
    const pages = { lantern: await openApp(context, server.url, errors), js: await openJs(context, server.url, errors) };
    res.longtask_observer = await pages.lantern.evaluate(() => globalThis.__bench.longtaskObserver);
    for (const fx of fxs) {
      const warm = fx.rows >= 1e6 ? 1 : fx.rows >= 1e5 ? 2 : 3;
      const runs = { lantern: [], papa: [], udsv: [] };
      for (let w = 0; w < warm; w++) for (const arm of ARMS) await runArm(pages, arm, fx);
      for (let s = 0; s < SAMPLES; s++) {
        // Rotate the order every sample so drift falls on every arm alike.
        const order = ARMS.map((_, k) => ARMS[(k + s) % ARMS.length]);
        for (const arm of order) {
          const r = await runArm(pages, arm, fx);
          if (r.error) {
            failed = true;
            log(`${arm} on ${fx.name} failed: ${r.error}`);
          }
          runs[arm].push(r);
          await sleep(20);
        }
      }
      await sleep(200); // let the long-task observer deliver the last entries
      const out = { rows: fx.rows, variant: fx.variant, name: fx.name, bytes: fx.bytes, sha256: fx.sha256, arms: {}, ratios: {} };
      for (const arm of ARMS) {
        const ok = runs[arm].filter((r) => !r.error);
        const ms = ok.map((r) => r.ms);
        const blocking = await (arm === 'lantern' ? pages.lantern : pages.js).evaluate((ws) => ws.map(([a, b]) => globalThis.__bench.blocking(a, b)), ok.map((r) => [r.t0, r.t1]));
        out.arms[arm] = {
          samples_ms: ms.map((x) => +x.toFixed(2)),
          median_ms: median(ms), p25_ms: quantile(ms, 0.25), p75_ms: quantile(ms, 0.75), p95_ms: quantile(ms, 0.95),
          mb_per_s: fx.bytes / 1e6 / (median(ms) / 1e3),
          longest_task_ms: Math.max(0, ...blocking.map((b) => b.max)),
          median_tbt_ms: median(blocking.map((b) => b.tbt)),
          long_tasks_per_run: median(blocking.map((b) => b.count)),
          ...(arm !== 'lantern' ? { median_parse_ms: median(ok.map((r) => r.parseMs)), median_stats_ms: median(ok.map((r) => r.statsMs)) } : { status: ok[0]?.status }),
        };
        if (arm !== 'lantern' && ok[0]) out.arms[arm].result = ok[0].result;
      }
      for (const arm of ['papa', 'udsv']) {
        const pairs = runs.lantern.map((l, i) => [l, runs[arm][i]]).filter(([l, j]) => l && j && !l.error && !j.error);
        out.ratios[arm] = medianCI(pairs.map(([l, j]) => j.ms / l.ms));
      }
      res.fixtures.push(out);
      const a = out.arms;
      log(`${fx.name}: Lantern ${fmtMs(a.lantern.median_ms)} ms, Papa ${fmtMs(a.papa.median_ms)} ms (${out.ratios.papa.median.toFixed(1)}×), uDSV ${fmtMs(a.udsv.median_ms)} ms (${out.ratios.udsv.median.toFixed(1)}×)`);
    }
    res.page_errors = errors;
    await context.close();

    if (!flag('--no-memory')) {
      const fx = fxs.find((f) => f.rows === MEMORY_ROWS && f.variant === 'plain') ?? (await fixture(MEMORY_ROWS, 'plain'));
      res.memory = [];
      for (const arm of ARMS) {
        const m = await memoryRun(browser, server.url, arm, fx);
        res.memory.push({ rows: fx.rows, bytes: fx.bytes, ...m });
        log(`memory ${arm}: +${fmtMB(m.peak_added_bytes)} MB (${m.times_file.toFixed(1)}× the file)`);
      }
    }
    res.startup = await startup(browser, server.url, 5);
  } finally {
    await browser.close();
    await server.close();
  }
  res.bundle = bundleSizes();
  res.bundle_check = checkBundle(res.bundle);
  if (flag('--native')) res.native = nativeTiming(fxs.filter((f) => f.variant === 'plain' && f.rows >= 100000));
  res.environment.load_after = loadavg().map((x) => +x.toFixed(2));
  res.seconds = Math.round((Date.now() - started) / 1000);

  mkdirSync(RESULTS, { recursive: true });
  const md = markdown(res);
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(res, null, 2) + '\n');
  writeFileSync(join(RESULTS, 'latest.md'), md);
  if (flag('--update-readme')) updateReadme(md);
  console.log(md);
  log(`done in ${res.seconds} s; results in bench/results/latest.{json,md}`);
  if (!res.bundle_check.ok) {
    console.error(`[bench] FAIL: first-load bundle ${res.bundle.gzip} B gzip is ${(res.bundle_check.growth * 100).toFixed(1)} % over the baseline (${res.bundle_check.baseline_gzip} B)`);
    failed = true;
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
