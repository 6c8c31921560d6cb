// Separate survey files per wave, linked by participant code (CONTRACT §5), through the page:
// each public linkage case's files chosen together in the data-file input, the case file
// loaded as recipe, results exported and compared (every results.linkage count, the paired
// results); then an ambiguous pair accepted in the review panel changes the counts and the
// paired n. The codes never appear in the exported results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, download, compare, REFERENCE } from './helpers.mjs';

const DIR = join(REFERENCE, 'linkage');

let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/#/change');
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

async function loadCase(name) {
  const spec = JSON.parse(await readFile(join(DIR, `${name}.json`), 'utf8'));
  await t.page.setInputFiles('[data-testid="data-file"]', spec.files.map((f) => join(DIR, name, f)));
  await t.page.waitForSelector('[data-testid="waves"]');
  await t.page.setInputFiles('[data-testid="recipe-file"]', join(DIR, `${name}.json`));
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="linkage-summary"]');
  return spec;
}

async function results() {
  return JSON.parse((await download(t.page, 'export-results')).text);
}

function check(spec, got) {
  const failures = [];
  const counter = { n: 0 };
  compare(spec.results, got.results, 'results', failures, counter);
  assert.deepEqual(failures, []);
  assert.ok(counter.n >= 30, `${counter.n} values compared`);
  for (const [wave, w] of Object.entries(spec.results.linkage.waves)) {
    assert.equal(got.results.linkage.waves[wave].file, w.file.value, `${wave} file`);
  }
  assert.equal(Object.keys(got.results.linkage.waves).length, Object.keys(spec.results.linkage.waves).length);
}

test('pl1: a Google Forms before file and a Qualtrics after file, two arms', async () => {
  const spec = await loadCase('pl1_trial_ids_gforms_qualtrics');
  const got = await results();
  check(spec, got);
  const text = await t.page.textContent('[data-testid="linkage-summary"]');
  assert.match(text, /52 of 69 people who answered before were found after: 50 by the same code, 2 by a code with one typing slip/);
});

test('the Plan section offers the observed drop-out of the linked files as its attrition input', async () => {
  await loadCase('pl1_trial_ids_gforms_qualtrics');
  // The planner's default plan: paired, d = 0.3, power 0.8, alpha 0.05, two-sided.
  await t.page.click('a.tab[href="#/plan"]');
  const card = t.page.locator('[data-testid="plan-observed-dropout"]');
  await card.waitFor();
  // pl1: 52 of 69 found after → 17/69 = 0.2464 not followed up.
  assert.match(await card.textContent(), /52 of 69 people who answered before were found after, so 17 \(24\.6%\) were not followed up: drop-out 0\.246/);
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 90 people/);
  await card.locator('[data-testid="plan-use-dropout"]').click();
  // The paired plan's 90 pairs, recruited allowing for the drop-out: ⌈90 / 0.754⌉ = 120.
  await t.page.waitForFunction(() => document.querySelector('[data-testid="plan-design"]')?.value === 'attrition');
  assert.equal(await t.page.inputValue('#plan-n_required'), '90');
  assert.equal(await t.page.inputValue('#plan-attrition'), '0.246');
  assert.match(await t.page.textContent('[data-testid="plan-result"]'), /Recruit 120 people in all, allowing for 25% drop-out/);
  assert.match(await t.page.textContent('.role:has(#plan-attrition) .hint'), /From your data: 0\.246 \(your linked wave files: 52 of 69/);
  // Still the user's number to change.
  await t.page.fill('#plan-attrition', '0.1');
  await t.page.dispatchEvent('#plan-attrition', 'change');
  await t.page.waitForFunction(() => /Recruit 100 people in all, allowing for 10% drop-out/.test(document.querySelector('[data-testid="plan-result"]')?.textContent ?? ''));
  await t.page.click('a.tab[href="#/change"]');
  await waitReady(t.page);
});

test('pl2: three waves, self-generated codes, a Windows-1252 ";" follow-up file with decimal commas', async () => {
  const spec = await loadCase('pl2_single_selfcode_three_waves');
  check(spec, await results());
  assert.equal(await t.page.locator('[data-testid="wave-files"] tbody tr').count(), 3);
});

test('accepting an ambiguous pair in the review panel links it: counts and paired n change', async () => {
  await loadCase('pl1_trial_ids_gforms_qualtrics');
  const before = await results();
  const n = (r) => Object.values(r.results.paired).reduce((s, a) => s + a.n, 0);
  assert.equal(before.results.linkage.post.confirmed, 0);
  if (process.env.LANTERN_SHOTS) await t.page.locator('[data-testid="waves"]').screenshot({ path: join(process.env.LANTERN_SHOTS, 'linkage-review.png') });
  const accept = t.page.locator('[data-testid="link-review"] [data-testid="accept-pair"]').first();
  await accept.click();
  await t.page.waitForFunction(() => /Confirmed/.test(document.querySelector('[data-testid="linkage-summary"]')?.textContent ?? '')
    && [...document.querySelectorAll('[data-testid="linkage-row"] td')][3]?.textContent === '1');
  await waitReady(t.page);
  const afterAccept = await results();
  const a = afterAccept.results.linkage.post;
  const b = before.results.linkage.post;
  assert.equal(a.confirmed, 1);
  assert.equal(a.exact, b.exact);
  assert.ok(a.ambiguous_pre + a.ambiguous_later < b.ambiguous_pre + b.ambiguous_later, 'fewer ambiguous codes');
  assert.equal(afterAccept.results.linkage.participants, before.results.linkage.participants - 1, 'one later-only row fewer');
  assert.equal(n(afterAccept), n(before) + 1, 'one more complete pair');
  // The decision is in the saved recipe, never in the results.
  const recipe = JSON.parse((await download(t.page, 'export-results')).text).recipe;
  assert.equal(recipe.link?.accept, undefined);
  const reviewCodes = await t.page.locator('[data-testid="accept-pair"]').evaluateAll((els) => els.map((e) => e.dataset.pre));
  const exported = JSON.stringify(afterAccept);
  for (const c of reviewCodes) assert.ok(!exported.includes(`"${c}"`), `code ${c} in the results`);
});

test('bad input: two files set to the same wave gives a plain message naming the files; the files stay loaded', async () => {
  await loadCase('pl1_trial_ids_gforms_qualtrics');
  const after = 'Stigma survey - after_April 12, 2024_09.14.csv';
  await t.page.selectOption(`[data-testid="wave-select"][data-file="${after}"]`, 'pre');
  const alert = t.page.locator('[data-testid="link-problems"][role="alert"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /are both set as the before \(pre\) file/);
  assert.equal(await t.page.locator('[data-testid="wave-files"] tbody tr').count(), 2);
  await t.page.selectOption(`[data-testid="wave-select"][data-file="${after}"]`, 'post');
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="linkage-summary"]');
});

test('the report has the linkage section with counts, its reading and chart, and no code', async () => {
  await loadCase('pl1_trial_ids_gforms_qualtrics');
  const codes = await t.page.locator('[data-testid="accept-pair"]').evaluateAll((els) => els.map((e) => e.dataset.pre));
  await t.page.goto(t.server.url + '/#/report');
  const section = t.page.locator('[data-section="linkage"]');
  await section.waitFor();
  const text = await section.textContent();
  assert.match(text, /How the survey files were linked/);
  assert.match(text, /52 of 69 people who answered before were found after/);
  assert.equal(await section.locator('svg rect').count() > 0, true, 'the small chart');
  const page = await t.page.textContent('main');
  for (const c of codes) assert.ok(!page.includes(c), `code ${c} in the report`);
  if (process.env.LANTERN_SHOTS) await section.screenshot({ path: join(process.env.LANTERN_SHOTS, 'linkage-report.png') });
  await t.page.goto(t.server.url + '/#/change');
});
