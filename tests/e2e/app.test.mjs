// End-to-end: the release build in Debian Chromium, used the way a person (or a hidden
// test) uses it: through the CONTRACT.md hooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, download, compare, REFERENCE } from './helpers.mjs';

let t;
before(async () => { t = await start(); });
after(async () => { await t?.close(); });

test('opens with the demo dataset analysed', async () => {
  await t.page.goto(t.server.url + '/');
  await waitReady(t.page);
  const status = await t.page.textContent('[data-testid="status"]');
  assert.match(status, /lantern-demo\.csv” \(120 rows\)/);
  assert.equal(await t.page.locator('article.arm').count(), 2, 'intervention and control');
  assert.match(await t.page.textContent('article[data-arm="intervention"] .reading'), /improved/);
  assert.match(await t.page.textContent('header'), /Your data stays on this device/);
  assert.match(await t.page.textContent('#main'), /Computed in a background worker/, 'parsing and statistics run off the main thread');
  // Start-up marks (the benchmark's time to interactive): drawn first, then the first results.
  const marks = await t.page.evaluate(() => ['lantern:interactive', 'lantern:first-results'].map((n) => performance.getEntriesByName(n, 'mark').map((e) => e.startTime)));
  assert.equal(marks[0].length, 1, 'one lantern:interactive mark');
  assert.equal(marks[1].length, 1, 'one lantern:first-results mark');
  assert.ok(marks[0][0] > 0 && marks[0][0] <= marks[1][0], `interactive ${marks[0][0]} ms before first results ${marks[1][0]} ms`);
  assert.match(await t.page.textContent('[data-testid="persistence-intervention"]'), /the change (held|faded|grew)/);
  assert.ok(await t.page.locator('figure.chart').count() >= 4, 'means, help seeking, reliable change and forest charts');
  const [dl] = await Promise.all([t.page.waitForEvent('download'), t.page.click('figure.chart >> text=Download SVG')]);
  const svg = await readFile(await dl.path(), 'utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const [png] = await Promise.all([t.page.waitForEvent('download'), t.page.click('figure.chart >> text=Download PNG')]);
  const bytes = await readFile(await png.path());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');
  assert.ok(bytes.length > 2000, `PNG has content (${bytes.length} bytes)`);
});

test('p01 upload → recipe → export equals R', async () => {
  const dir = join(REFERENCE, 'analysis');
  const spec = JSON.parse(await readFile(join(dir, 'p01_single_group_n10.json'), 'utf8'));
  await t.page.setInputFiles('[data-testid="data-file"]', join(dir, 'p01_single_group_n10.csv'));
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="recipe-file"]', join(dir, 'p01_single_group_n10.json'));
  await waitReady(t.page);
  const { name, text } = await download(t.page, 'export-results');
  assert.equal(name, 'lantern-results.json');
  const got = JSON.parse(text);
  assert.equal(got.lantern.results_format, 1);
  assert.equal(got.dataset.file, 'p01_single_group_n10.csv');
  assert.equal(got.dataset.rows, 10);
  assert.equal(got.recipe.columns.pre, 'stigma_pre');
  const failures = [];
  const counter = { n: 0 };
  compare(spec.results.paired, got.results.paired, 'paired', failures, counter);
  assert.deepEqual(failures, []);
  assert.equal(counter.n, 24);
});

test('recipe first, then data: the recipe applies to the new file', async () => {
  const dir = join(REFERENCE, 'analysis');
  const spec = JSON.parse(await readFile(join(dir, 'p11_trial_n20_exact_ranks.json'), 'utf8'));
  await t.page.setInputFiles('[data-testid="recipe-file"]', join(dir, 'p11_trial_n20_exact_ranks.json'));
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="data-file"]', join(dir, 'p11_trial_n20_exact_ranks.csv'));
  await waitReady(t.page);
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  const failures = [];
  const counter = { n: 0 };
  compare(spec.results.paired, got.results.paired, 'paired', failures, counter);
  assert.deepEqual(failures, []);
  assert.ok(counter.n >= 40, `${counter.n} values compared`);
});

test('a broken file gives a plain alert and the page keeps working', async () => {
  await t.page.setInputFiles('[data-testid="data-file"]', { name: 'broken.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 0, 0]) });
  await t.page.waitForSelector('[data-testid="status"][data-state="error"]');
  assert.match(await t.page.textContent('[role="alert"]'), /could not be opened/);
  await t.page.click('text=Use the demo data');
  await waitReady(t.page);
  assert.equal(await t.page.locator('[role="alert"]').count(), 0);
});

test('the cleaned-data export neutralises formulas and header text renders as text', async () => {
  const csv = 'id,<img src=x onerror=alert(1)>,pre,post\n1,=HYPERLINK("http://evil"),3,2\n2,ok,4,3\n3,fine,2,2\n';
  await t.page.setInputFiles('[data-testid="data-file"]', { name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitReady(t.page);
  assert.equal(await t.page.locator('img').count(), 0, 'header text is never HTML');
  const { text } = await download(t.page, 'export-clean-csv');
  assert.match(text, /'=HYPERLINK/);
});

test('an item-level file is recognised and scored; reverse items can be set in the page', async () => {
  await t.page.goto('about:blank');
  await t.page.goto(t.server.url + '/');  // a fresh page: no recipe from earlier tests
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="data-file"]', join(REFERENCE, 'analysis', 'p06_items_n30.csv'));
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="items"]');
  assert.match(await t.page.textContent('[data-testid="items"]'), /Reliability, before/);
  assert.equal(await t.page.inputValue('#items-0-pre_prefix'), 'pre_q');
  await t.page.fill('#items-0-reverse', '3, 6, 9');
  await t.page.dispatchEvent('#items-0-reverse', 'change');
  await waitReady(t.page);
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  const spec = JSON.parse(await readFile(join(REFERENCE, 'analysis', 'p06_items_n30.json'), 'utf8'));
  assert.ok(Math.abs(got.results.items.alpha_pre - spec.results.items.alpha_pre.value) < 1e-9, 'alpha with the reversal set in the page equals the reference');
  assert.equal(got.results.paired.all.n, spec.results.paired.all.n.value);

  // A subscale from columns picked one by one: its alpha equals Cronbach's formula on the file.
  await t.page.click('[data-testid="add-scale"]');
  await t.page.waitForSelector('[data-scale="1"]');
  await t.page.click('[data-scale="1"] details summary');
  for (const c of ['pre_q1', 'pre_q2', 'pre_q4']) {
    await t.page.check(`[data-scale="1"] input[data-list="pre_columns"][data-item-column="${c}"]`);
    await t.page.waitForFunction((c) => document.querySelector(`[data-scale="1"] input[data-list="pre_columns"][data-item-column="${c}"]`)?.checked, c);
  }
  await t.page.waitForFunction(() => /Reliability, before/.test(document.querySelector('[data-scale="1"]')?.textContent ?? ''));
  await waitReady(t.page);
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  const sub = doc.results.items.other_scales?.[0];
  assert.ok(sub, 'the second scale is exported under results.items.other_scales');
  assert.equal(sub.k, 3);
  const csv = (await readFile(join(REFERENCE, 'analysis', 'p06_items_n30.csv'), 'utf8')).trim().split(/\r?\n/).map((l) => l.split(','));
  const head = csv[0];
  const cols = ['pre_q1', 'pre_q2', 'pre_q4'].map((c) => head.indexOf(c));
  const complete = csv.slice(1).map((r) => cols.map((i) => r[i])).filter((r) => r.every((v) => v !== '' && !Number.isNaN(Number(v)))).map((r) => r.map(Number));
  const variance = (xs) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1); };
  const k = 3;
  const alpha = (k / (k - 1)) * (1 - [0, 1, 2].map((j) => variance(complete.map((r) => r[j]))).reduce((a, b) => a + b, 0) / variance(complete.map((r) => r[0] + r[1] + r[2])));
  assert.ok(Math.abs(sub.alpha_pre - alpha) < 1e-9, `subscale alpha ${sub.alpha_pre} vs ${alpha}`);
  assert.equal(sub.alpha_pre_n_complete, complete.length);
  // The first scale still drives the change analysis.
  assert.ok(Math.abs(doc.results.items.alpha_pre - spec.results.items.alpha_pre.value) < 1e-9);
});

test('missing-value codes are shown and editable; the file is read again', async () => {
  const csv = 'id,pre,post\n1,3,2\n2,4,-99\n3,5,4\n4,2,1\n5,3,3.5\n';
  await t.page.setInputFiles('[data-testid="data-file"]', { name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitReady(t.page);
  assert.match(await t.page.inputValue('#missing-codes'), /-99/);
  let got = JSON.parse((await download(t.page, 'export-results')).text);
  const n0 = Object.values(got.results.paired)[0].n;
  await t.page.fill('#missing-codes', 'NA');
  await t.page.dispatchEvent('#missing-codes', 'change');
  await waitReady(t.page);
  got = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(Object.values(got.results.paired)[0].n, n0 + 1, '-99 now counts as a number');
  assert.deepEqual(got.recipe.ingest.missing_codes, ['NA']);
});

test('columns that could identify people are flagged and left out of the cleaned data unless kept', async () => {
  const csv = 'id,email,pre,post\n1,ana@example.org,3,2\n2,bo@example.org,4,3\n3,cy@example.org,5,4\n4,di@example.org,2,2\n';
  await t.page.setInputFiles('[data-testid="data-file"]', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitReady(t.page);
  assert.match(await t.page.textContent('[data-testid="identifying"]'), /e-mail/);
  let clean = (await download(t.page, 'export-clean-csv')).text;
  assert.doesNotMatch(clean, /example\.org/);
  assert.match(clean.split('\n')[0], /^id,pre,post/);
  await t.page.click('[data-testid="identifying"] >> text=Keep it');
  await waitReady(t.page);
  clean = (await download(t.page, 'export-clean-csv')).text;
  assert.match(clean, /ana@example\.org/);
});
