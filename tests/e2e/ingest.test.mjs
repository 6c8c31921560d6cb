// Issue 3 through the page: Likert answer numbers edited in the page, a long file reshaped to
// one row per person from the page, and a title line above the header skipped and said.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, waitReady, download } from './helpers.mjs';

let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/#/change');
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

async function load(name, text) {
  await t.page.setInputFiles('[data-testid="data-file"]', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await t.page.waitForFunction((n) => document.querySelector('[data-testid="status"]')?.textContent.includes(n), name);
  await waitReady(t.page);
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** From now on, every text the reading progress bar shows goes into `window.__steps`. */
async function recordProgress() {
  await t.page.evaluate(() => {
    window.__steps = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="reading-progress"]');
      if (el) window.__steps.push(el.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('Likert answers are read as numbers, and an edited number changes the results', async () => {
  const rows = [
    ['Agree', 'Strongly agree'], ['Disagree', 'Agree'], ['Neither agree nor disagree', 'Strongly agree'],
    ['Strongly disagree', 'Disagree'], ['Agree', 'Agree'], ['Disagree', 'Neither agree nor disagree'],
  ];
  await load('likert.csv', 'id,pre,post\n' + rows.map(([a, b], i) => `${i + 1},${a},${b}`).join('\n') + '\n');
  const scale = { 'Strongly disagree': 1, Disagree: 2, 'Neither agree nor disagree': 3, Agree: 4, 'Strongly agree': 5 };
  let doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.ok(Math.abs(doc.results.paired.all.mean_post - mean(rows.map((r) => scale[r[1]]))) < 1e-12, `mean after ${doc.results.paired.all.mean_post}`);

  await t.page.click('[data-testid="value-maps"] summary');
  const input = t.page.getByLabel('Number for “Strongly agree” in “post”');
  await input.fill('6');
  await input.dispatchEvent('change');
  await t.page.waitForSelector('table.value-map[data-column="post"] tfoot button');
  await waitReady(t.page);
  doc = JSON.parse((await download(t.page, 'export-results')).text);
  const edited = { ...scale, 'Strongly agree': 6 };
  assert.ok(Math.abs(doc.results.paired.all.mean_post - mean(rows.map((r) => edited[r[1]]))) < 1e-12, `mean after, edited: ${doc.results.paired.all.mean_post}`);
  assert.ok(Math.abs(doc.results.paired.all.mean_pre - mean(rows.map((r) => scale[r[0]]))) < 1e-12, 'the pre column keeps its own numbers');
  assert.equal(doc.recipe.ingest.value_maps.post['Strongly agree'], 6);

  // Reset: the numbers Lantern found come back.
  await t.page.click('table.value-map[data-column="post"] tfoot button');
  await t.page.waitForFunction(() => !document.querySelector('table.value-map[data-column="post"] tfoot'));
  await waitReady(t.page);
  doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.ok(Math.abs(doc.results.paired.all.mean_post - mean(rows.map((r) => scale[r[1]]))) < 1e-12);
});

test('a long file (one row per person per wave) is reshaped from the page', async () => {
  const people = [[30, 25], [28, 27], [35, 29], [31, 31], [29, 24], [33, 30]];
  const lines = ['participant,time,score'];
  // Waves out of order, as exports often are.
  people.forEach(([pre], i) => lines.push(`P${i + 1},pre,${pre}`));
  people.forEach(([, post], i) => lines.push(`P${i + 1},post,${post}`));
  await load('long.csv', lines.join('\n') + '\n');
  await t.page.waitForSelector('[data-testid="long-layout"]');
  assert.match(await t.page.textContent('[data-testid="long-layout"]'), /looks long/);
  await t.page.click('text=Reshape to one row per person');
  await t.page.waitForFunction(() => document.querySelector('[data-testid="long-layout"]')?.textContent.includes('Read as one row per person'));
  await waitReady(t.page);
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(doc.recipe.ingest.long.id, 'participant');
  assert.equal(doc.recipe.ingest.long.wave, 'time');
  const p = doc.results.paired.all;
  assert.equal(p.n, 6);
  assert.ok(Math.abs(p.mean_diff - mean(people.map(([a, b]) => b - a))) < 1e-12, `mean change ${p.mean_diff}`);
});

test('a title line above the header is skipped, and the page says so', async () => {
  await load('titled.csv', 'Survey results — March 2025\nid,pre,post\n1,30,25\n2,28,27\n3,35,29\n4,31,30\n');
  const text = await t.page.textContent('#main');
  assert.match(text, /looked like a title and was skipped/);
  // The preview: the first rows as read, with each column's type and missing count.
  await t.page.click('[data-testid="preview"] summary');
  const preview = await t.page.textContent('[data-testid="preview"]');
  assert.match(preview, /The first 4 rows as read/);
  assert.match(preview, /number, 0 missing/);
  assert.equal(await t.page.locator('[data-testid="preview"] tbody tr').count(), 4);
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(doc.results.paired.all.n, 4);
});

test('the preview hides columns that look identifying', async () => {
  await load('people.csv', 'id,email,pre,post\n1,ann@example.org,30,25\n2,bob@example.org,28,27\n3,cy@example.org,35,29\n');
  await t.page.click('[data-testid="preview"] summary');
  const preview = await t.page.textContent('[data-testid="preview"]');
  assert.match(preview, /\(hidden\)/);
  assert.doesNotMatch(await t.page.textContent('#main'), /ann@example\.org/);
});

test('after a file with identifying columns, the next file still loads (the page did not stop)', async () => {
  // Yew lost its place in the data summary when the identifying-columns box went away while
  // the (keyed) long-file offer was remade: it panicked and the page stopped updating.
  await load('people.csv', 'id,email,pre,post\n1,ann@example.org,30,25\n2,bob@example.org,28,27\n3,cy@example.org,35,29\n');
  assert.ok(await t.page.isVisible('[data-testid="identifying"]'));
  const errors = t.consoleErrors.length;
  await load('plain.csv', 'id,pre,post\n1,30,25\n2,28,27\n3,35,29\n4,31,30\n');
  assert.match(await t.page.textContent('[data-testid="status"]'), /up to date for “plain\.csv” \(4 rows\)/);
  assert.equal(await t.page.isVisible('[data-testid="identifying"]'), false);
  assert.deepEqual(t.consoleErrors.slice(errors), []);
});

test('a file over 8 MB is read in two halves at once, by two workers, with every row in its place', async () => {
  const n = 400000;
  const rows = ['id,group,pre,post'];
  for (let i = 0; i < n; i++) rows.push(`${i},${i % 2 ? 'control' : 'intervention'},${20 + (i % 11)},${18 + (i % 13)}`);
  const text = rows.join('\n') + '\n';
  assert.ok(text.length > 8 * 1024 * 1024, `${text.length} bytes`);
  assert.equal(t.page.workers().length, 1, 'one worker until a big file comes');
  const helpers = [];
  t.page.on('worker', (w) => { const h = { closed: false }; helpers.push(h); w.on('close', () => { h.closed = true; }); });
  await recordProgress();
  await load('halves.csv', text);
  const steps = await t.page.evaluate(() => window.__steps);
  assert.ok(steps.some((s) => /two halves at once/.test(s)), `progress shown: ${[...new Set(steps)]}`);
  assert.ok(helpers.length >= 1, 'a helper worker read the second half');
  // Once its half is handed over it is replaced by a fresh one (its memory let go).
  for (let i = 0; i < 50 && !helpers[0].closed; i++) await t.page.waitForTimeout(100);
  assert.ok(helpers[0].closed, 'the helper that read the half was closed');
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(doc.dataset.rows, n);
  // Each arm's means, from the rows as written (a row lost, doubled or misplaced at the join would show).
  for (const [arm, odd] of [['intervention', 0], ['control', 1]]) {
    const idx = [...Array(n).keys()].filter((i) => i % 2 === odd);
    const p = doc.results.paired[arm];
    assert.equal(p.n, n / 2, arm);
    assert.ok(Math.abs(p.mean_pre - mean(idx.map((i) => 20 + (i % 11)))) < 1e-9, `${arm} before ${p.mean_pre}`);
    assert.ok(Math.abs(p.mean_post - mean(idx.map((i) => 18 + (i % 13)))) < 1e-9, `${arm} after ${p.mean_post}`);
  }
  // Two big files one right after the other: the second's results come. (The helper may get
  // the second file's half while the first's is on its way; this run does not force that order.)
  const more = text + rows.slice(1, 1001).join('\n') + '\n';
  await t.page.setInputFiles('[data-testid="data-file"]', { name: 'first.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await load('second.csv', more);
  assert.match(await t.page.textContent('[data-testid="status"]'), /up to date for “second\.csv” \(401000 rows\)/);
});

test('a big file: read in the worker, then analysed as a second step, with the progress shown', async () => {
  const rows = ['id,group,pre,post'];
  for (let i = 0; i < 60000; i++) rows.push(`${i},${i % 2 ? 'control' : 'intervention'},${30 + (i % 7)},${28 + (i % 5)}`);
  await recordProgress();
  await load('big.csv', rows.join('\n') + '\n');
  const steps = await t.page.evaluate(() => window.__steps);
  assert.ok(steps.some((s) => /Reading and analysing “big\.csv” \(1\.\d MB\)/.test(s)), `progress shown: ${steps.slice(0, 3)}`);
  assert.ok(steps.some((s) => /File read; analysing/.test(s)), `the analysis step shown: ${[...new Set(steps)]}`);
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(doc.results.paired.intervention.n, 30000);
  assert.equal(doc.dataset.rows, 60000);
});
