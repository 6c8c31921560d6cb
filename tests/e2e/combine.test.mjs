// Combine sites (CONTRACT.md §8, issue 22) through the page: the public pooling case's four
// results files through `results-files`, `lantern-pooled.json` from `export-pooled` compared
// key by key with R's metafor values, the forest plot drawn, and bad files each given a plain
// message while the other files are kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { start, waitReady, download, compare, REFERENCE } from './helpers.mjs';

const DIR = join(REFERENCE, 'pooling', 'p14_pool_four_sites');
const CASE = JSON.parse(await readFile(join(DIR, 'case.json'), 'utf8'));
const FILES = CASE.site_files.map((f) => join(DIR, f));
// A site file as a buffer (Playwright does not mix paths and buffers in one upload).
const asBuffer = async (path) => ({ name: basename(path), mimeType: 'application/json', buffer: await readFile(path) });

let t;
before(async () => { t = await start(); });
after(async () => { await t?.close(); });

async function openCombine(page) {
  await page.goto('about:blank');
  await page.goto(`${t.server.url}/#/combine`);
  await waitReady(page);
  await page.waitForSelector('a.tab[href="#/combine"][aria-current="page"]');
}

const statusText = (page) => page.textContent('[data-testid="combine-status"]');

test('p14: four sites through results-files, every key of lantern-pooled.json equals R', async () => {
  const { page } = t;
  await openCombine(page);
  assert.match(await statusText(page), /No results files yet/);
  await page.setInputFiles('[data-testid="results-files"]', FILES);
  await page.waitForSelector('[data-testid="pooled-g_change"]', { timeout: 60000 });
  assert.match(await statusText(page), /4 sites read; 5 measures combined/);

  const { name, text } = await download(page, 'export-pooled');
  assert.equal(name, 'lantern-pooled.json');
  const got = JSON.parse(text);
  assert.ok(got.lantern && typeof got.lantern === 'object');
  assert.deepEqual(got.sites.map((s) => [s.file, s.n]), CASE.sites.map((s) => [s.file, s.rows]));
  const failures = [];
  const counter = { n: 0 };
  compare(CASE.pooled, got.pooled, 'pooled', failures, counter);
  assert.deepEqual(failures, []);
  assert.equal(counter.n, 173, 'every expected value compared');
  assert.deepEqual(Object.keys(got.pooled).sort(), Object.keys(CASE.pooled).sort());
  for (const m of CASE.measures_absent) assert.equal(got.pooled[m], undefined, `${m} is absent`);
  for (const [m, files] of Object.entries(CASE.left_out)) assert.deepEqual(got.pooled[m].left_out, files);

  // The page: sites with n and measures, left-out sites named, the one-site measure said.
  const rows = await page.locator('[data-testid="sites"] tbody tr').count();
  assert.equal(rows, 4);
  const lake = await page.textContent('[data-testid="sites"] tr[data-file="lantern-results-lakeside.json"]');
  assert.match(lake, /40/);
  assert.match(lake, /change, single group/);
  const notes = await page.textContent('[data-testid="combine-notes"]');
  assert.match(notes, /lantern-results-lakeside\.json is left out of/);
  assert.match(notes, /Only 1 site reports the change \(single group\), so it is not combined/);

  // One forest plot per pooled measure: a square per site, the diamond, the prediction interval.
  const plots = page.locator('[data-testid="forest-plot"] svg');
  assert.equal(await plots.count(), 5);
  const g = page.locator('[data-testid="pooled-g_change"] [data-testid="forest-plot"] svg');
  assert.equal(await g.locator('rect.site').count(), 3);
  assert.equal(await g.locator('polygon.diamond').count(), 1);
  assert.equal(await g.locator('line.pi').count(), 1);
  assert.match(await g.getAttribute('aria-label'), /prediction interval/);
  // The forest plot downloads like the other charts.
  const [dl] = await Promise.all([page.waitForEvent('download'),
    page.click('[data-testid="pooled-g_change"] button:has-text("Download SVG")')]);
  assert.equal(dl.suggestedFilename(), 'lantern-chart.svg');
  // Readings: the heterogeneity sentence and the prediction interval for a new site.
  assert.match(await page.textContent('[data-testid="pooled-g_change"]'), /in a new site expect between/);

  // A site renamed appears under its new name in the plot and the report.
  await page.fill('input[aria-label="Name in the report for lantern-results-northfield.json"]', 'Northfield school');
  await page.dispatchEvent('input[aria-label="Name in the report for lantern-results-northfield.json"]', 'change');
  await page.waitForSelector('[data-testid="pooled-g_change"] svg text:has-text("Northfield school")');
  await page.click('a.tab[href="#/report"]');
  await page.waitForSelector('[data-testid="report-combined"] [data-testid="forest-plot"] svg');
  assert.match(await page.textContent('[data-testid="report-combined"]'), /Northfield school \(n = /);
  const renamed = JSON.parse((await (async () => { await page.click('a.tab[href="#/combine"]'); return download(page, 'export-pooled'); })()).text);
  assert.equal(renamed.sites.find((s) => s.file === 'lantern-results-northfield.json').label, 'Northfield school');
  assert.deepEqual(t.consoleErrors, []);
});

test('bad files: each a plain message, the other files kept', async () => {
  const { page } = t;
  await openCombine(page);
  const p14 = JSON.parse(await readFile(FILES[0], 'utf8'));
  const newer = structuredClone(p14);
  newer.lantern.results_format = 99;
  const otherScale = JSON.parse(await readFile(FILES[1], 'utf8'));
  otherScale.recipe.scale = { ...otherScale.recipe.scale, min: 0, max: 10 };
  const files = [
    await asBuffer(FILES[0]), await asBuffer(FILES[0]),
    { name: 'lantern-results-otherscale.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(otherScale)) },
    await asBuffer(FILES[2]),
    { name: 'survey.csv', mimeType: 'text/csv', buffer: Buffer.from('id,pre,post\n1,3,2\n') },
    { name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from('{"columns": {"pre": "a"}}') },
    { name: 'lantern-results-future.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(newer)) },
  ];
  await page.setInputFiles('[data-testid="results-files"]', files);
  await page.waitForSelector('[data-testid="rejected-files"]', { timeout: 60000 });
  const alert = await page.textContent('[data-testid="rejected-files"]');
  assert.equal(await page.getAttribute('[data-testid="rejected-files"]', 'role'), 'alert');
  assert.match(alert, /survey\.csv could not be read: it is not a JSON file/);
  assert.match(alert, /settings\.json is not a Lantern results file/);
  assert.match(alert, /lantern-results-future\.json was saved by a newer version of Lantern \(results format 99/);
  assert.match(alert, /is a second copy of lantern-results-northfield\.json/);
  // The three good sites are kept; different scales: raw-score measures refused, g still pooled.
  assert.equal(await page.locator('[data-testid="sites"] tbody tr').count(), 3);
  assert.match(await page.textContent('[data-testid="combine-notes"]'), /do not all use the same scale/);
  await page.waitForSelector('[data-testid="pooled-g_change"] [data-testid="forest-plot"] svg');
  assert.equal(await page.locator('[data-testid="pooled-ancova"]').count(), 0);
  assert.equal(await page.locator('[data-testid="pooled-change_intervention"]').count(), 0);
  const got = JSON.parse((await download(page, 'export-pooled')).text);
  assert.equal(got.sites.length, 3);
  assert.ok(got.pooled.g_change && !got.pooled.ancova);
  assert.equal(got.rejected.length, 4);
  // Removing the files that were not used leaves the sites as they were.
  await page.click('[data-testid="rejected-files"] button[aria-label="Remove survey.csv"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="rejected-files"]')?.textContent.includes('survey.csv'));
  assert.equal(await page.locator('[data-testid="sites"] tbody tr').count(), 3);
  assert.deepEqual(t.consoleErrors, []);
});
