// Shared set-up for the end-to-end tests: serve the release build, launch Debian Chromium
// through playwright-core (never a downloaded browser), record requests and console errors.
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { serve } from './server.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
export const DIST = process.env.LANTERN_DIST ?? join(ROOT, 'dist');
export const REFERENCE = join(ROOT, 'tests', 'reference');

export async function start() {
  const server = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const requests = [];
  const consoleErrors = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), at: Date.now() }));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return {
    server, browser, page, requests, consoleErrors,
    async close() { await browser.close(); await server.close(); },
  };
}

/** Waits until the app says every result on screen is up to date. */
export async function waitReady(page, timeout = 60000) {
  await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout });
}

/** Clicks an export button and returns the downloaded file's text. */
export async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** Compares every {value, atol, rtol} leaf of `expected` with `actual`; returns mismatches. */
export function compare(expected, actual, path, failures, counter) {
  if (expected && typeof expected === 'object' && 'value' in expected && ('atol' in expected || expected.value === null)) {
    counter.n++;
    const want = expected.value;
    if (want === null) {
      if (actual !== null && actual !== undefined) failures.push(`${path}: expected null, got ${actual}`);
    } else if (typeof actual !== 'number' || !(Math.abs(actual - want) <= expected.atol + expected.rtol * Math.abs(want))) {
      failures.push(`${path}: expected ${want}, got ${actual}`);
    }
    return;
  }
  if (expected && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) compare(v, actual?.[k], `${path}.${k}`, failures, counter);
  }
}
