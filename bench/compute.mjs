// Lantern's compute benchmarks (issues 6 and 7), in the release build in Debian Chromium:
//   1. the planner's power curves: time to compute the Plan chart's curves (the plan's own
//      200-point curve plus the comparison curves), read from the chart's `data-curve-ms`
//      (performance.now() around the computation in the page), for four designs;
//   2. the cost bootstrap: 10,000 stratified resamples on n = 5,000 participants in the Web
//      Worker, timed in the page from the settings change to the finished results (so it
//      includes re-analysis and messaging), with a long-task observer on the main thread.
//
//   node bench/compute.mjs [--samples N] [--dist DIR]      (bench/run --compute runs this)
//
// Writes bench/results/compute.json and compute.md. Not part of the test command.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { mulberry32 } from './fixtures.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');
const argv = process.argv.slice(2);
const value = (f, d) => { const i = argv.indexOf(f); return i >= 0 && argv[i + 1] ? argv[i + 1] : d; };
const SAMPLES = Math.max(3, Number(value('--samples', 10)));
const DIST = value('--dist', join(ROOT, 'dist'));
const log = (...a) => console.error('[compute]', ...a);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = (s.length - 1) / 2; return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2; };
const max = (xs) => Math.max(...xs);


/** n participants in two arms: pre/post scores and help seeking before/after. */
function participants(n, seed) {
  const r = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const rows = ['id,group,pre,post,help_pre,help_post'];
  for (let i = 0; i < n; i++) {
    const int = i % 2 === 0;
    const pre = 30 + 5 * normal();
    const post = pre - (int ? 2 : 0.5) + 3 * normal();
    const helpPre = r() < 0.2 ? 'yes' : 'no';
    const helpPost = r() < (int ? 0.35 : 0.22) ? 'yes' : 'no';
    rows.push(`P${i + 1},${int ? 'intervention' : 'control'},${pre.toFixed(1)},${post.toFixed(1)},${helpPre},${helpPost}`);
  }
  return rows.join('\n') + '\n';
}
const COSTS = 'category,arm,amount\nstipends,intervention,42000\ntraining,intervention,18000\nsupervision,intervention,12500\nmaterials,intervention,3500\nvenue,shared,6000\nevaluation,control,2500\n';

const CURVE_CASES = [
  ['paired t, d = 0.3', 'design=paired_t&solve_for=n&d=0.3&power=0.8'],
  ['two groups, d = 0.4', 'design=two_sample_t_equal_n&solve_for=n&d=0.4&power=0.8'],
  ['ANCOVA, d = 0.26, r = 0.6', 'design=ancova_two_sample&solve_for=n&d=0.26&r_pre_post=0.6&power=0.8'],
  ['cluster trial, J', 'design=cluster_cra2&solve_for=J&n=20&rho=0.05&delta=0.25&power=0.8'],
];

async function curves(page, url) {
  const out = [];
  for (const [name, query] of CURVE_CASES) {
    await page.goto('about:blank');
    await page.goto(`${url}/#/plan?${query}`);
    await page.waitForSelector('[data-testid="plan-curve"]');
    const ms = [];
    let points = 0, all = 0;
    for (let s = 0; s < SAMPLES + 2; s++) {
      // A new target power each time: the curves are recomputed (they are cached per case).
      const power = (0.8 + 0.005 * ((s % 6) + 1)).toFixed(3);
      const before = await page.getAttribute('[data-testid="plan-curve"]', 'data-curve-ms');
      await page.fill('#plan-power', power);
      await page.dispatchEvent('#plan-power', 'change');
      await page.waitForFunction((b) => {
        const el = document.querySelector('[data-testid="plan-curve"]');
        return el && el.getAttribute('data-curve-ms') !== b;
      }, before, { timeout: 10000 }).catch(() => {});
      const el = await page.$('[data-testid="plan-curve"]');
      const v = Number(await el.getAttribute('data-curve-ms'));
      points = Number(await el.getAttribute('data-curve-points'));
      all = Number(await el.getAttribute('data-all-points'));
      if (s >= 2) ms.push(v); // two warm-up samples
    }
    const per200 = ms.map((m) => (m * 200) / all);
    out.push({ case: name, own_points: points, all_points: all, samples_ms: ms, median_ms: median(ms), max_ms: max(ms), median_ms_per_200_points: median(per200) });
    log(`curves ${name}: ${all} points in ${median(ms).toFixed(1)} ms median (${median(per200).toFixed(1)} ms per 200 points)`);
  }
  return out;
}

async function bootstrap(page, url) {
  await page.goto('about:blank');
  await page.goto(`${url}/#/cost`);
  await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
  await page.setInputFiles('[data-testid="data-file"]', { name: 'n5000.csv', mimeType: 'text/csv', buffer: Buffer.from(participants(5000, 7)) });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.includes('n5000.csv'), null, { timeout: 60000 });
  await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
  await page.setInputFiles('[data-testid="cost-file"]', { name: 'costs.csv', mimeType: 'text/csv', buffer: Buffer.from(COSTS) });
  await page.waitForFunction(() => /10000 \/ 10000 resamples/.test(document.querySelector('#main')?.textContent ?? ''), null, { timeout: 120000 });
  const runs = [];
  for (let s = 0; s < SAMPLES + 1; s++) {
    const b = s % 2 === 0 ? 10001 : 10000;
    const r = await page.evaluate(async (b) => {
      const input = document.querySelector('#bootstrap-b');
      const t0 = performance.now();
      input.value = String(b);
      input.dispatchEvent(new Event('change', { bubbles: true }));
      const done = () => new RegExp(`${b} / ${b} resamples`).test(document.querySelector('#main')?.textContent ?? '')
        && document.querySelector('[data-testid="status"]')?.getAttribute('data-state') === 'ready';
      await new Promise((resolve) => {
        if (done()) return resolve();
        const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
        obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      const t1 = performance.now();
      await new Promise((ok) => setTimeout(ok, 100)); // let the observer deliver long tasks
      const long = (globalThis.__longtasks ?? []).filter((e) => e.startTime + e.duration > t0 && e.startTime < t1);
      return { ms: t1 - t0, longest_task_ms: long.reduce((m, e) => Math.max(m, e.duration), 0), long_tasks: long.length };
    }, b);
    if (s >= 1) runs.push(r);
  }
  const ms = runs.map((r) => r.ms);
  const res = { n: 5000, resamples: 10000, samples_ms: ms.map((x) => +x.toFixed(1)), median_ms: median(ms), max_ms: max(ms), longest_main_thread_task_ms: max(runs.map((r) => r.longest_task_ms)), long_tasks: runs.reduce((a, r) => a + r.long_tasks, 0) };
  log(`bootstrap n=5000 B=10000: ${res.median_ms.toFixed(0)} ms median, longest main-thread task ${res.longest_main_thread_task_ms.toFixed(0)} ms`);
  return res;
}

function markdown(res) {
  const l = [];
  l.push(`Compute benchmarks, ${res.date.slice(0, 10)}, ${res.browser}, ${res.samples} samples (after warm-up).`);
  l.push('');
  l.push('| Planner curves (page, main thread) | points | median ms | max ms | ms per 200 points |');
  l.push('|---|---:|---:|---:|---:|');
  for (const c of res.curves) l.push(`| ${c.case} | ${c.all_points} | ${c.median_ms.toFixed(1)} | ${c.max_ms.toFixed(1)} | ${c.median_ms_per_200_points.toFixed(1)} |`);
  l.push('');
  const b = res.bootstrap;
  l.push(`Cost bootstrap in the worker: ${b.resamples.toLocaleString('en')} resamples, n = ${b.n.toLocaleString('en')}: median ${b.median_ms.toFixed(0)} ms, max ${b.max_ms.toFixed(0)} ms (from the settings change to finished results on screen, re-analysis included); longest main-thread task meanwhile ${b.longest_main_thread_task_ms.toFixed(0)} ms (${b.long_tasks} tasks over 50 ms).`);
  return l.join('\n') + '\n';
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error(`No release build in ${DIST}: run \`trunk build --release --offline\` first.`);
    process.exit(2);
  }
  const server = await serve(DIST);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'] });
  const res = { date: new Date().toISOString(), browser: `Chromium ${browser.version()}`, samples: SAMPLES };
  try {
    const page = await (await browser.newContext()).newPage();
    await page.addInitScript(() => {
      globalThis.__longtasks = [];
      try {
        new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__longtasks.push({ startTime: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
      } catch { /* no long-task API */ }
    });
    res.curves = await curves(page, server.url);
    res.bootstrap = await bootstrap(page, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
  mkdirSync(join(HERE, 'results'), { recursive: true });
  const md = markdown(res);
  writeFileSync(join(HERE, 'results', 'compute.json'), JSON.stringify(res, null, 2) + '\n');
  writeFileSync(join(HERE, 'results', 'compute.md'), md);
  console.log(md);
}

main().catch((e) => { console.error(e); process.exit(1); });
