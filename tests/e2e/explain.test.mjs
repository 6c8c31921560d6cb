// Process and community counts (hook counts-file), the printable report, and teaching mode
// (simulation in the worker, one sample loaded into Change).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, waitReady, download } from './helpers.mjs';

let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/');
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

test('a counts table gives the rate ratio and a chart; the demo shows retention', async () => {
  const table = 'month,calls,population,program_start\n' +
    [20, 22, 19, 21, 23, 20, 30, 33, 31, 35, 32, 34].map((c, i) => `${i + 1},${c},10000,${i >= 6 ? 1 : 0}`).join('\n') + '\n';
  await t.page.setInputFiles('[data-testid="counts-file"]', { name: 'calls.csv', mimeType: 'text/csv', buffer: Buffer.from(table) });
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="counts"]');
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  const rr = got.results.community.before_after.rate_ratio;
  assert.ok(Math.abs(rr - (30 + 33 + 31 + 35 + 32 + 34) / (20 + 22 + 19 + 21 + 23 + 20)) < 1e-9, `rate ratio ${rr}`);
  assert.equal(got.results.community.n_periods, 12);
  assert.ok(got.results.process.retention.arms.intervention.enrolled === 60, 'demo: 60 enrolled in the intervention arm');
  assert.match(await t.page.textContent('[data-testid="process"]'), /Drop-out/);
});

test('the report reads the results in plain words, with limitations and a glossary', async () => {
  await t.page.click('a[href="#/report"]');
  await t.page.waitForSelector('[data-testid="report"]');
  const text = await t.page.textContent('[data-testid="report"]');
  assert.match(text, /In short/);
  assert.match(text, /Limitations/);
  assert.match(text, /confidence interval/i);
  // Each result with its chart: the demo has change, help seeking, reliable change, subgroups,
  // process and the counts table loaded above.
  const charts = await t.page.locator('[data-testid="report"] figure.chart').count();
  assert.ok(charts >= 6, `${charts} charts in the report`);
  for (const id of ['paired', 'help_seeking', 'rci', 'subgroups', 'community']) {
    assert.ok(await t.page.locator(`[data-section="${id}"] figure.chart`).count() >= 1, `a chart in the ${id} section`);
  }
  await t.page.emulateMedia({ media: 'print' });
  assert.equal(await t.page.isVisible('[data-testid="data-file"] >> xpath=..'), false, 'no file controls in print');
  assert.equal(await t.page.isVisible('[data-section="paired"] figure.chart svg >> nth=0'), true, 'charts are printed');
  assert.equal(await t.page.locator('[data-testid="report"] button:visible').count(), 0, 'no buttons in print');
  await t.page.emulateMedia({ media: 'screen' });
});

test('teaching mode simulates in the worker and loads one sample into Change', async () => {
  await t.page.click('a[href="#/teach"]');
  await t.page.fill('#sim-samples', '400');
  await t.page.dispatchEvent('#sim-samples', 'change');
  await t.page.click('[data-testid="simulate"]');
  await t.page.waitForSelector('[data-testid="sim-result"]', { timeout: 60000 });
  assert.match(await t.page.textContent('[data-testid="sim-result"]'), /\d+%/);
  await t.page.click('text=Load one simulated study into Change');
  await t.page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.includes('simulated-seed'));
  await waitReady(t.page);
  assert.equal(await t.page.locator('article.arm').count(), 2);
});
