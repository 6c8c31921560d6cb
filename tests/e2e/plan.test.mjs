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
  await t.page.click('text=d = 0.26');
  await t.page.waitForFunction(() => location.hash.includes('d=0.26'));
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 119 people/);
  await t.page.fill('#plan-d', '0.5');
  await t.page.dispatchEvent('#plan-d', 'change');
  await t.page.waitForFunction(() => location.hash.includes('d=0.5'));
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 34 people/);
  assert.equal(await t.page.locator('figure.chart svg').count(), 1, 'a power curve');
  await t.page.goto('about:blank');
  await t.page.goto(t.server.url + '/#/plan?design=nonsense&d=abc');
  await waitReady(t.page);
  assert.match(await t.page.textContent('[role="alert"]'), /planning link could not be used/);
});
