// The single-file offline copy (dist/lantern-offline.html) opened from file:// with the
// network off, and the in-page privacy check with "Clear everything".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { start, waitReady, download, compare, DIST, REFERENCE } from './helpers.mjs';

test('the offline copy works from file:// with the network off and connects nowhere', async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ offline: true, acceptDownloads: true });
    const page = await context.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const url = 'file://' + join(DIST, 'lantern-offline.html');
    await page.goto(url);
    await waitReady(page);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    const dir = join(REFERENCE, 'analysis');
    const spec = JSON.parse(await readFile(join(dir, 'p04_single_group_exact_n15.json'), 'utf8'));
    await page.setInputFiles('[data-testid="data-file"]', join(dir, 'p04_single_group_exact_n15.csv'));
    await waitReady(page);
    await page.setInputFiles('[data-testid="recipe-file"]', join(dir, 'p04_single_group_exact_n15.json'));
    await waitReady(page);
    const got = JSON.parse((await download(page, 'export-results')).text);
    const failures = [];
    const counter = { n: 0 };
    compare(spec.results, got.results, 'results', failures, counter);
    assert.deepEqual(failures, []);
    assert.ok(counter.n > 40);
    assert.deepEqual(requests.filter((r) => !r.startsWith('data:') && !r.startsWith('blob:')), [url], 'only the file itself');
    // The engine ran in the worker carried inside the file (the page's wasm has none).
    assert.match(csp, /worker-src blob:/);
    await page.click('a[href="#/about"]');
    assert.match(await page.textContent('[data-testid="privacy-check"]'), /a background worker/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('where no worker can start, files get a plain message and the planner still works', async () => {
  const t = await start();
  try {
    // A browser without workers (the page's wasm carries no engine of its own).
    await t.page.addInitScript(() => {
      window.Worker = function () { throw new Error('no workers here'); };
    });
    await t.page.goto(t.server.url + '/#/plan?design=paired_t&solve_for=n&d=0.3&power=0.8&sig_level=0.05&alternative=two.sided');
    await t.page.waitForSelector('[data-testid="status"][data-state="error"]');
    assert.match(await t.page.textContent('[role="alert"]'), /background worker could not start in this browser/);
    assert.match(await t.page.textContent('[data-testid="plan-result"]'), /You need 90 people/);
    await t.page.setInputFiles('[data-testid="data-file"]', join(REFERENCE, 'analysis', 'p01_single_group_n10.csv'));
    await t.page.waitForSelector('[data-testid="status"][data-state="error"]');
    assert.match(await t.page.textContent('[role="alert"]'), /background worker could not start/);
    await t.page.click('a[href="#/about"]');
    assert.match(await t.page.textContent('[data-testid="privacy-check"]'), /could not start Lantern's background worker/);
  } finally {
    await t.close();
  }
});

test('a worker that stops while running is restarted and says so, the page forgets what it held, and the next file works', async () => {
  const t = await start();
  try {
    await t.page.goto(t.server.url + '/#/change');
    await waitReady(t.page);
    assert.equal(t.page.workers().length, 1);
    // The demo is loaded: its summary and results are on the page.
    assert.match(await t.page.textContent('#main'), /Your data/);
    // An uncaught error inside the worker: what a crash (such as running out of memory) looks like to the page.
    await t.page.workers()[0].evaluate(() => { setTimeout(() => { throw new Error('simulated crash'); }, 0); });
    await t.page.waitForSelector('[data-testid="status"][data-state="error"]');
    assert.match(await t.page.textContent('[role="alert"]'), /background worker stopped unexpectedly.*load your files again/);
    // The fresh worker holds nothing, and the page no longer shows the data it held.
    assert.match(await t.page.textContent('#main'), /No data loaded yet/);
    assert.doesNotMatch(await t.page.textContent('#main'), /Your data/);
    await t.page.setInputFiles('[data-testid="data-file"]', join(REFERENCE, 'analysis', 'p01_single_group_n10.csv'));
    await waitReady(t.page);
    assert.match(await t.page.textContent('[data-testid="status"]'), /p01_single_group_n10\.csv/);
    await t.page.click('a[href="#/about"]');
    assert.match(await t.page.textContent('[data-testid="privacy-check"]'), /a background worker/);
    // The simulated crash is the only console error.
    assert.ok(t.consoleErrors.every((e) => /simulated crash/.test(e)), t.consoleErrors.join('\n'));
  } finally {
    await t.close();
  }
});

test('the About page checks privacy in the page, and Clear everything forgets the data', async () => {
  const t = await start();
  try {
    await t.page.goto(t.server.url + '/');
    await waitReady(t.page);
    await t.page.setInputFiles('[data-testid="data-file"]', join(REFERENCE, 'analysis', 'p01_single_group_n10.csv'));
    await waitReady(t.page);
    await t.page.click('a[href="#/about"]');
    await t.page.waitForSelector('[data-testid="privacy-check"]');
    assert.match(await t.page.textContent('[data-testid="requests-after-start"]'), /^0 /);
    assert.match(await t.page.textContent('[data-testid="stored-items"]'), /^nothing/);
    assert.match(await t.page.textContent('[data-testid="privacy-check"]'), /default-src 'self'/);
    assert.match(await t.page.textContent('[data-testid="privacy-check"]'), /background worker/);
    await t.page.click('[data-testid="clear-all"]');
    await t.page.waitForSelector('[data-testid="status"][data-state="idle"]');
    assert.equal(await t.page.isDisabled('[data-testid="export-results"]'), true, 'nothing left to export');
    const stored = await t.page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
    assert.equal(stored, 0);
    assert.deepEqual(t.consoleErrors, []);
  } finally {
    await t.close();
  }
});
