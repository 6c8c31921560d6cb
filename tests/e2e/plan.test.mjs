// The planner through planning links (CONTRACT §3): every case of power.json opened as a
// link, solved in the page, and exported as results.json → `power`, compared with R/pwr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, download, compare, REFERENCE } from './helpers.mjs';

const { cases } = JSON.parse(await readFile(join(REFERENCE, 'power.json'), 'utf8'));
const link = (c) => '#/plan?' + [['design', c.design], ['solve_for', c.solve_for], ...Object.entries(c.inputs)]
  .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

let t;
before(async () => { t = await start(); });
after(async () => { await t?.close(); });

test(`all ${cases.length} power.json cases solved from their planning links equal the reference`, async () => {
  const failures = [];
  const counter = { n: 0 };
  for (const c of cases) {
    await t.page.goto('about:blank');
    await t.page.goto(t.server.url + '/' + link(c));
    await waitReady(t.page);
    await t.page.waitForSelector('[data-testid="plan-result"], #main [role="alert"]');
    const got = JSON.parse((await download(t.page, 'export-results')).text);
    assert.equal(got.power?.design, c.design, c.id);
    assert.equal(got.power?.solve_for, c.solve_for, c.id);
    compare(c.expected, got.power, c.id, failures, counter);
  }
  assert.deepEqual(failures, []);
  assert.ok(counter.n >= 100, `${counter.n} values compared`);
});

test('editing the planner updates the link and the answer; junk links give a plain message', async () => {
  await t.page.goto('about:blank');
  await t.page.goto(t.server.url + '/#/plan?design=paired_t&solve_for=n&d=0.3&power=0.8&sig_level=0.05&alternative=two.sided');
  await waitReady(t.page);
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 90 people/);
  assert.match(await t.page.textContent('[data-testid="plan-sensitivity"]'), /With 90 pairs you can detect d ≥ 0\.30/);
  // The answer's numbers in words (R pwr: n = 89.149, so 90), the exact n under "Details for analysts".
  assert.match(await t.page.textContent('[data-testid="plan-numbers"]'), /Sample size, rounded up.*90/);
  assert.match(await t.page.textContent('[data-testid="plan-details"]'), /Sample size before rounding up\s*89\.1494/);
  const labels = await t.page.locator('[data-testid="plan-result"] th').allTextContents();
  assert.ok(labels.length >= 3 && labels.every((l) => !l.includes('_')), `field names in the answer: ${labels}`);
  await t.page.click('text=d = 0.26');
  await t.page.waitForFunction(() => location.hash.includes('d=0.26'));
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 119 people/);
  await t.page.fill('#plan-d', '0.5');
  await t.page.dispatchEvent('#plan-d', 'change');
  await t.page.waitForFunction(() => location.hash.includes('d=0.5'));
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 34 people/);
  // Typing recomputes without leaving the field (R: power.t.test(delta = 0.45, power = 0.8,
  // type = "paired") → n = 40.7, so 41; delta = 0.35 → 67), and a half-typed "0." is left alone.
  await t.page.fill('#plan-d', '');
  await t.page.locator('#plan-d').pressSequentially('0.45', { delay: 60 });
  await t.page.waitForFunction(() => /You need 41 people/.test(document.querySelector('[data-testid="plan-result"]')?.textContent ?? ''));
  assert.equal(await t.page.inputValue('#plan-d'), '0.45', 'what was typed stays');
  assert.equal(await t.page.evaluate(() => document.activeElement?.id), 'plan-d', 'still typing in the field');
  // The arrow keys step d by 0.05 (0.45 → 0.40 → 0.35).
  await t.page.keyboard.press('ArrowDown');
  await t.page.keyboard.press('ArrowDown');
  await t.page.waitForFunction(() => /You need 67 people/.test(document.querySelector('[data-testid="plan-result"]')?.textContent ?? ''));
  assert.equal(await t.page.getAttribute('#plan-d', 'type'), 'number');
  assert.match(await t.page.textContent('#plan-alternative'), /Either direction \(two-sided\)/);
  await t.page.fill('#plan-d', '0.5');
  await t.page.dispatchEvent('#plan-d', 'change');
  await t.page.waitForFunction(() => /You need 34 people/.test(document.querySelector('[data-testid="plan-result"]')?.textContent ?? ''));
  assert.equal(await t.page.locator('figure.chart > svg').count(), 1, 'a power chart');
  // Curves for the plan's effect and for the literature's, over the four named bands.
  assert.ok(await t.page.locator('[data-testid="plan-curve"] path.sline').count() >= 3, 'several effect curves');
  assert.equal(await t.page.locator('[data-testid="plan-curve"] path.sline.bold').count(), 1, "the plan's own curve stands out");
  const bands = await t.page.locator('[data-testid="plan-curve"] g.band').count();
  assert.equal(bands, 4, 'four power bands');
  assert.match(await t.page.textContent('[data-testid="plan-curve"] .legend'), /your plan: d = 0\.50/);
  assert.equal(await t.page.getAttribute('[data-testid="plan-curve"]', 'data-curve-points'), '200');
  await t.page.goto('about:blank');
  await t.page.goto(t.server.url + '/#/plan?design=nonsense&d=abc');
  await waitReady(t.page);
  assert.match(await t.page.textContent('[role="alert"]'), /planning link could not be used/);
});

test('a cluster column gives the ICC, which fills the cluster planner', async () => {
  // 6 schools × 5 pupils; pre scores: school effects + pupil noise (deterministic).
  const school = [0, 4, -3, 2, -1, 5];
  const noise = [-2, 1, 0, 2, -1];
  const rows = ['id,school,pre,post'];
  let id = 1;
  school.forEach((s, j) => noise.forEach((e, i) => { rows.push(`${id},School ${j + 1},${30 + s + e},${28 + s + e + (i % 2)}`); id++; }));
  await t.page.goto('about:blank');
  await t.page.goto(t.server.url + '/#/change');
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="data-file"]', { name: 'schools.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
  await t.page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.includes('schools.csv'));
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="clustering"]');
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(doc.recipe.columns.cluster, 'school', 'the cluster column is suggested from its name');
  // ICC(1) by hand: balanced, k = 5. MSB = 5·var(school means), MSW = pooled within variance.
  const k = 5, J = 6;
  const means = school.map((s) => 30 + s + noise.reduce((a, b) => a + b, 0) / k);
  const grand = means.reduce((a, b) => a + b, 0) / J;
  const msb = k * means.reduce((a, m) => a + (m - grand) ** 2, 0) / (J - 1);
  const nm = noise.reduce((a, b) => a + b, 0) / k;
  const msw = J * noise.reduce((a, e) => a + (e - nm) ** 2, 0) / (J * (k - 1));
  const icc = (msb - msw) / (msb + (k - 1) * msw);
  assert.ok(Math.abs(doc.results.clustering.icc - icc) < 1e-12, `ICC ${doc.results.clustering.icc} vs ${icc}`);
  assert.equal(doc.results.clustering.n_clusters, 6);

  await t.page.goto(t.server.url + '/#/plan?design=cluster_cra2&solve_for=J&n=5&rho=0.05&delta=0.3&power=0.8');
  await t.page.waitForSelector('[data-testid="plan-result"]');
  await t.page.click('text=Fill in from my data');
  await t.page.waitForFunction(() => !location.hash.includes('rho=0.05'));
  const rho = Number(new URL(t.page.url().replace('#/plan?', '?')).searchParams.get('rho'));
  assert.ok(Math.abs(rho - Math.round(icc * 10000) / 10000) < 1e-12, `rho ${rho} from the data (ICC ${icc})`);
});
