// Issue 18 item 8: the report on a 390 px phone. The page never scrolls sideways; a table wider
// than its box says so under it; chart text is drawn at 12 px or more (charts scroll in their
// figure instead of shrinking); "Jump to" links reach every section and move the focus there.
// A screenshot is kept in tests/e2e/artifacts/report-390.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, HERE } from './helpers.mjs';

let t;
before(async () => {
  t = await start();
  await t.page.setViewportSize({ width: 390, height: 844 });
  await t.page.goto(t.server.url + '/#/report');
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="report"] .report-section');
});
after(async () => { await t?.close(); });

test('the report fits a 390 px phone: no sideways page, cues on wide tables, readable charts', async () => {
  const page = t.page;
  await page.waitForTimeout(300); // wide-table boxes measure themselves after rendering
  const m = await page.evaluate(() => {
    const doc = document.scrollingElement;
    const boxes = [...document.querySelectorAll('[data-testid="report"] .table-scroll')].map((b) => ({
      overflows: b.scrollWidth > b.clientWidth + 1,
      scrolls: b.classList.contains('scrolls'),
      cue: b.nextElementSibling?.classList.contains('scroll-cue') ?? false,
      region: b.getAttribute('role') === 'region',
    }));
    // The size a chart's text is drawn at: its font size times the SVG's scale on screen.
    const texts = [...document.querySelectorAll('[data-testid="report"] figure.chart svg:not(.swatch) text')]
      .filter((x) => x.textContent.trim() !== '')
      .map((x) => parseFloat(getComputedStyle(x).fontSize) * (x.ownerSVGElement.getScreenCTM()?.a ?? 0));
    return { pageWidth: doc.scrollWidth, viewport: window.innerWidth, boxes, texts };
  });
  assert.ok(m.pageWidth <= m.viewport, `the page scrolls sideways: ${m.pageWidth} > ${m.viewport}`);
  assert.ok(m.boxes.length >= 3, `report tables: ${m.boxes.length}`);
  const wide = m.boxes.filter((b) => b.overflows);
  assert.ok(wide.length >= 1, 'at 390 px some report table is wider than its box');
  for (const b of wide) assert.deepEqual(b, { overflows: true, scrolls: true, cue: true, region: true });
  for (const b of m.boxes.filter((b) => !b.overflows)) assert.equal(b.cue, false, 'no cue under a table that fits');
  assert.ok(m.texts.length >= 10, `chart texts: ${m.texts.length}`);
  const small = m.texts.filter((s) => s < 11.99);
  assert.deepEqual(small, [], 'chart text drawn below 12 px');

  await mkdir(join(HERE, 'artifacts'), { recursive: true });
  await page.screenshot({ path: join(HERE, 'artifacts', 'report-390.png'), fullPage: true });
});

test('"Jump to" links reach every report section and move the focus there', async () => {
  const page = t.page;
  const links = page.locator('[data-testid="report-jump"] button');
  const headings = page.locator('[data-testid="report"] .report-section > h3[id^="report-"]');
  const n = await links.count();
  assert.ok(n >= 4, `jump links: ${n}`);
  assert.equal(n, await headings.count());
  const last = links.nth(n - 1);
  const label = (await last.textContent()).trim();
  await last.click();
  const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), top: document.activeElement?.getBoundingClientRect().top }));
  assert.equal(focused.text, label);
  assert.ok(focused.top >= -1 && focused.top < 844, `the section heading is on screen (top ${focused.top})`);
});
