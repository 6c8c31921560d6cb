// Issue 11 end to end: a participant file with an attendance column and a rating column,
// roles and the population's composition set on the page, and a monthly counts table —
// uploaded, exported and compared with R (lm, prop.test, glm(family = poisson)).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, waitReady, download } from './helpers.mjs';

const PARTICIPANTS = `id,group,age_band,pre,post,sessions,rating
1,intervention,18-24,30,29,2,5
2,intervention,18-24,28,26,4,4
3,intervention,25-34,32,30,6,5
4,intervention,25-34,29,25,8,3
5,intervention,18-24,31,31,2,4
6,intervention,25-34,33,32,4,2
7,intervention,18-24,30,27,6,5
8,intervention,25-34,29,26,8,4
9,intervention,18-24,30,,1,
10,control,18-24,30,29,,
11,control,25-34,29,29,,
12,control,18-24,32,31,,
13,control,25-34,28,,,
`;

// Series s1 of tests/data/counts_reference.R: 24 months, the program starts in month 13.
const COUNTS = [30, 40, 27, 53, 37, 43, 33, 45, 49, 43, 40, 38, 66, 56, 54, 59, 66, 51, 66, 50, 53, 38, 61, 48];
const COUNTS_CSV = 'month,calls,population,program_start\n' +
  COUNTS.map((c, i) => `2024-${String(i + 1).padStart(2, '0')},${c},${50000 + 150 * (i + 1)},${i >= 12 ? 1 : 0}`).join('\n') + '\n';

// R 4.2.2 (tests/data/counts_reference.out, series s1): estimate, se (Poisson), se (quasi).
const ITS = {
  pre_trend: [0.014098832528736555, 0.013263994296571343, 0.015048695936159442],
  level_change: [0.33659184877218212, 0.11850994832825225, 0.13445574070118815],
  slope_change: [-0.037565347230762103, 0.017376674036254709, 0.019714746410962242],
};

const near = (got, want, rel, what) =>
  assert.ok(typeof got === 'number' && Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);

let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/');
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

async function textOf(selector) {
  return (await t.page.textContent(selector)) ?? '';
}

test('attendance, ratings and reach set on the page, with a monthly counts table, export as R computes them', async () => {
  const page = t.page;
  await page.setInputFiles('[data-testid="data-file"]', { name: 'program.csv', mimeType: 'text/csv', buffer: Buffer.from(PARTICIPANTS) });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.includes('program.csv'));
  await waitReady(page);

  // Roles the guesser leaves alone: the subgroup and the dose column.
  await page.selectOption('#role-subgroup', 'age_band');
  await page.waitForFunction(() => document.querySelector('[data-testid="population-form"] input[data-level="25-34"]'));
  await page.selectOption('#role-dose', 'sessions');
  await page.waitForFunction(() => document.querySelector('[data-testid="process"]')?.textContent.includes('Dose: sessions'));
  // The rating column, its top value, and the population (percentages), in the folded
  // process settings.
  await page.click('[data-testid="process-settings"] summary');
  await page.check('[data-rating="rating"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="process"]')?.textContent.includes('rating: '));
  await page.fill('#rating-max', '5');
  await page.dispatchEvent('#rating-max', 'change');
  await page.fill('input[data-level="18-24"]', '30');
  await page.dispatchEvent('input[data-level="18-24"]', 'change');
  await page.fill('input[data-level="25-34"]', '70');
  await page.dispatchEvent('input[data-level="25-34"]', 'change');
  await page.waitForFunction(() => document.querySelector('[data-testid="process"]')?.textContent.includes('who the program is missing'));
  await waitReady(page);

  await page.setInputFiles('[data-testid="counts-file"]', { name: 'calls.csv', mimeType: 'text/csv', buffer: Buffer.from(COUNTS_CSV) });
  await page.waitForSelector('[data-testid="its-table"]');
  await waitReady(page);

  const doc = JSON.parse((await download(page, 'export-results')).text);
  const r = doc.results;
  assert.deepEqual(doc.recipe.columns.dose, 'sessions');
  assert.deepEqual(doc.recipe.process.satisfaction, ['rating']);

  // results.process: retention. Intervention 9 enrolled, 1 without post; control 4, 1.
  assert.equal(r.process.retention.arms.intervention.enrolled, 9);
  assert.equal(r.process.retention.arms.intervention.dropped, 1);
  assert.equal(r.process.retention.arms.control.dropped, 1);

  // results.dose: change on sessions among intervention completers, as R's lm:
  // slope −0.5, 95% CI −0.72337146951647047 to −0.27662853048352976, p 0.0015474212145409341.
  assert.equal(r.dose.slope_rows, 'intervention');
  assert.equal(r.dose.regression.n, 8);
  near(r.dose.regression.slope, -0.5, 1e-9, 'dose slope');
  near(r.dose.regression.ci_low, -0.72337146951647047, 1e-6, 'dose slope CI low');
  near(r.dose.regression.ci_high, -0.27662853048352976, 1e-6, 'dose slope CI high');
  near(r.dose.regression.p, 0.0015474212145409341, 1e-6, 'dose slope p');
  assert.equal(r.dose.points.length, 8);
  assert.match(r.dose.reading, /does not by itself show/);

  // results.satisfaction: 6 of the 8 ratings are 4 or 5; Wilson interval as prop.test(6, 8, correct = FALSE).
  const s = r.satisfaction.find((x) => x.column === 'rating');
  assert.ok(s, 'a satisfaction entry for "rating"');
  assert.equal(s.n, 8);
  assert.equal(s.top_two.count, 6);
  near(s.top_two.ci_low, 0.40927543031016900, 1e-9, 'top-two Wilson low');
  near(s.top_two.ci_high, 0.92852078724789089, 1e-9, 'top-two Wilson high');

  // results.reach: 7 of 13 enrolled are 18–24 against 30% of the population.
  const young = r.reach.levels.find((l) => l.level === '18-24');
  assert.equal(young.enrolled.count, 7);
  assert.equal(young.enrolled.n, 13);
  near(young.population_share, 0.3, 1e-12, 'population share read from percentages');
  near(young.enrolled.ci_low, 0.29143795714506010, 1e-9, 'enrolled Wilson low');
  near(young.enrolled_difference, 7 / 13 - 0.3, 1e-12, 'difference from the population');

  // results.community: before/after and the interrupted time series, as R's glm.
  const c = r.community;
  assert.equal(c.n_periods, 24);
  assert.equal(c.n_before, 12);
  const before = COUNTS.slice(0, 12).reduce((a, b) => a + b, 0);
  const afterSum = COUNTS.slice(12).reduce((a, b) => a + b, 0);
  assert.equal(c.before_after.count_before, before);
  assert.equal(c.before_after.count_after, afterSum);
  for (const [term, [est, se, seq]] of Object.entries(ITS)) {
    near(c.its[term].estimate, est, 1e-6, `${term} estimate`);
    near(c.its[term].poisson.se, se, 1e-6, `${term} se`);
    near(c.its[term].quasi.se, seq, 1e-6, `${term} quasi se`);
  }
  assert.ok(c.its.overdispersed, 'dispersion 1.287 > 1');

  // On the page: the fitted segments and the start marker are drawn, with the ITS table.
  assert.equal(await page.locator('[data-testid="counts"] path.sline').count(), 3);
  assert.match(await textOf('[data-testid="counts"] .vline'), /Program start/);
  assert.match(await textOf('[data-testid="its-table"]'), /Jump at the start/);
  assert.match(await textOf('[data-testid="counts"]'), /Seasonality/);
});
