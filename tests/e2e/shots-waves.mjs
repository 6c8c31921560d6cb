// Screenshots for review (not a test; `cd tests/e2e && node shots-waves.mjs DIR`): at 1280 and
// 390 CSS px wide, the linkage review panel and summary (public case pl1), the comment browser
// and the codebook editor (public case pc1, one quote starred), and the report's linkage
// section and quotes.
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { start, waitReady, REFERENCE } from './helpers.mjs';

const OUT = process.argv[2] ?? '/tmp/lantern-shots';
mkdirSync(OUT, { recursive: true });
const PL1 = 'pl1_trial_ids_gforms_qualtrics';
const LDIR = join(REFERENCE, 'linkage');
const pl1 = JSON.parse(readFileSync(join(LDIR, `${PL1}.json`), 'utf8'));
const CDIR = join(REFERENCE, 'comments');
const pc1 = JSON.parse(readFileSync(join(CDIR, 'pc1_trial_comments_n80.json'), 'utf8'));

const t = await start();
const { page } = t;
for (const width of [1280, 390]) {
  await page.setViewportSize({ width, height: 900 });
  await page.goto('about:blank');
  await page.goto(t.server.url + '/#/change');
  await waitReady(page);
  await page.setInputFiles('[data-testid="data-file"]', pl1.files.map((f) => join(LDIR, PL1, f)));
  await page.waitForSelector('[data-testid="waves"]');
  await page.setInputFiles('[data-testid="recipe-file"]', join(LDIR, `${PL1}.json`));
  await waitReady(page);
  await page.waitForSelector('[data-testid="linkage-summary"]');
  await page.locator('[data-testid="waves"]').screenshot({ path: join(OUT, `waves-${width}.png`) });
  await page.locator('[data-testid="link-review"]').screenshot({ path: join(OUT, `review-${width}.png`) });
  await page.goto(t.server.url + '/#/report');
  await page.locator('[data-section="linkage"]').waitFor();
  await page.locator('[data-section="linkage"]').screenshot({ path: join(OUT, `report-linkage-${width}.png`) });
  await page.goto(t.server.url + '/#/plan');
  await page.locator('[data-testid="plan-observed-dropout"]').waitFor();
  await page.locator('[data-testid="plan-observed-dropout"]').screenshot({ path: join(OUT, `plan-dropout-${width}.png`) });

  await page.goto('about:blank');
  await page.goto(t.server.url + '/#/change');
  await waitReady(page);
  await page.setInputFiles('[data-testid="data-file"]', join(CDIR, pc1.csv));
  await waitReady(page);
  await page.setInputFiles('[data-testid="recipe-file"]', join(CDIR, 'pc1_trial_comments_n80.json'));
  await page.waitForSelector('[data-testid="comment-browser"] li.comment');
  await waitReady(page);
  await page.fill('#comment-search', 'bloggs');
  await page.dispatchEvent('#comment-search', 'change');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="comment-browser"] li.comment').length === 1);
  await page.click('[data-testid="comment-browser"] li.comment [data-testid="star"]');
  await page.waitForSelector('[data-testid="quote-preview"]');
  await page.fill('#comment-search', '');
  await page.dispatchEvent('#comment-search', 'change');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="comment-browser"] li.comment').length > 1);
  await waitReady(page);
  await page.locator('[data-testid="comment-browser"]').screenshot({ path: join(OUT, `browser-${width}.png`) });
  await page.locator('[data-testid="codebook"]').screenshot({ path: join(OUT, `codebook-${width}.png`) });
  const results = page.locator('[data-testid="comment-results"]').first();
  await results.locator('[data-testid="co-occurrence"] summary').click();
  await results.screenshot({ path: join(OUT, `comment-results-${width}.png`) });
  await page.click('a[href="#/report"]');
  await page.waitForSelector('[data-testid="report-quote"]');
  await page.locator('[data-section="comments"]').screenshot({ path: join(OUT, `report-comments-${width}.png`) });
}
console.log(JSON.stringify({ out: OUT, errors: t.consoleErrors }));
await t.close();
