// Cost per outcome through the browser: the p08 reference case with its cost table (hook
// `cost-file`), the bootstrap in the worker with progress, and Cancel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, download, compare, REFERENCE } from './helpers.mjs';

const DIR = join(REFERENCE, 'analysis');
let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/#/cost');
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

test('p08: cost per outcome and the bootstrap interval equal the reference', async () => {
  const spec = JSON.parse(await readFile(join(DIR, 'p08_cost_n400.json'), 'utf8'));
  // Any order: cost table first, then data, then the recipe.
  await t.page.setInputFiles('[data-testid="cost-file"]', join(DIR, 'p08_cost_n400_costs.csv'));
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="data-file"]', join(DIR, 'p08_cost_n400.csv'));
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="recipe-file"]', join(DIR, 'p08_cost_n400.json'));
  await waitReady(t.page, 120000);
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  const failures = [];
  const counter = { n: 0 };
  compare(spec.results, got.results, 'results', failures, counter);
  assert.deepEqual(failures, []);
  assert.ok(counter.n > 300, `${counter.n} values compared`);
  assert.equal(got.results.cost.bootstrap_B, 100000);
  assert.equal(got.results.cost.bootstrap_replicates_done, 100000);
  assert.equal(await t.page.locator('figure.chart > svg').count(), 3, 'CE plane, acceptability curve and sensitivity tornado, on the Cost page where the files were loaded');
});

test('the sensitivity share is editable and the tornado follows it', async () => {
  const bars = await t.page.locator('[data-testid="sensitivity"] g.trow').count();
  assert.ok(bars >= 2, `${bars} tornado bars`);
  await t.page.fill('#sens-share', '10');
  await t.page.dispatchEvent('#sens-share', 'change');
  await t.page.waitForFunction(() => document.querySelector('#sens-title')?.textContent.includes('10% lower'), null, { timeout: 120000 });
  await waitReady(t.page, 120000);
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  const c = got.results.cost;
  assert.equal(c.sensitivity_share, 0.1);
  assert.equal(got.recipe.cost_inputs.sensitivity, 0.1);
  for (const row of c.sensitivity.filter((r) => r.kind === 'ingredient')) {
    assert.ok(Math.abs(row.low_input - 0.9 * row.base_input) <= 1e-9 * Math.abs(row.base_input), `${row.label} low`);
    assert.ok(Math.abs(row.high_input - 1.1 * row.base_input) <= 1e-9 * Math.abs(row.base_input), `${row.label} high`);
  }
  // The chart's text alternative names the widest input first, as the table's first row.
  const label = await t.page.getAttribute('[data-testid="sensitivity"] figure svg[role="img"]', 'aria-label');
  assert.match(label, /widest first/);
});

test('a long bootstrap shows progress and can be cancelled; the page stays usable', async () => {
  await t.page.click('a[href="#/cost"]');
  await t.page.fill('#bootstrap-b', '200000');
  await t.page.dispatchEvent('#bootstrap-b', 'change');
  await t.page.waitForSelector('progress', { timeout: 30000 });
  await t.page.click('text=Cancel');
  await waitReady(t.page, 60000);
  const text = await t.page.textContent('#main');
  assert.match(text, /\(cancelled\)/);
  await t.page.click('a[href="#/about"]');
  await t.page.waitForSelector('text=Your data stays here', { timeout: 5000 });
});

test('a cost table typed in the page gives the same cost per participant as the file', async () => {
  await t.page.goto('about:blank');
  await t.page.goto(t.server.url + '/#/cost');
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="data-file"]', join(DIR, 'p08_cost_n400.csv'));
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="recipe-file"]', join(DIR, 'p08_cost_n400.json'));
  await waitReady(t.page);
  await t.page.fill('#bootstrap-b', '2000');
  await t.page.dispatchEvent('#bootstrap-b', 'change');
  await waitReady(t.page);
  // p08's costs: intervention 13,980 in all, control 350.
  const set = async (row, field, value) => {
    const el = t.page.locator(`[aria-label="${field} of row ${row}"]`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value); else await el.fill(value);
    await el.dispatchEvent('change');
    // The page has taken the edit once its re-render shows the same value.
    await t.page.waitForFunction(([sel, v]) => document.querySelector(sel)?.value === v, [`[aria-label="${field} of row ${row}"]`, value]);
  };
  await set(1, 'a', '13980');
  await set(2, 'arm', 'control');
  await set(2, 'a', '350');
  await set(3, 'a', '');
  await t.page.click('[data-testid="use-cost-table"]');
  await t.page.waitForSelector('text=cost table typed in Lantern', { timeout: 60000 });
  await waitReady(t.page, 60000);
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(got.results.cost.total_intervention, 13980);
  assert.equal(got.results.cost.total_control, 350);
  assert.ok(Math.abs(got.results.cost.cost_per_enrolled - 69.9) < 1e-9);
});
