// Issue 20 through the page: the public case p12 (two arms, three waves, a third missing a later
// score, age bands) shows the mixed model beside the complete-case results, the subgroup tests
// with Holm and BH adjusted p-values, the forest plot's interaction p, the drop-out sensitivity
// (tipping point) table and chart of the post and of the follow-up score, and the report's "For
// whom" wording for a non-significant interaction (R: F(2, 110) = 1.09, p = 0.339). Then the edge
// cases of issue 20 item 6 (small CSVs built here, by the formulas of
// tests/native/waves_edges.rs): each shows its reason, and no "NaN" anywhere in the page.
// Screenshots at 1280 and 390 px when LANTERN_SHOTS names a folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, waitReady, download, REFERENCE } from './helpers.mjs';

const DIR = join(REFERENCE, 'analysis');
const CASE = 'p12_trial_n160_waves';

let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/');
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="data-file"]', join(DIR, `${CASE}.csv`));
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="recipe-file"]', join(DIR, `${CASE}.json`));
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

async function shot(locator, name) {
  if (!process.env.LANTERN_SHOTS) return;
  for (const width of [1280, 390]) {
    await t.page.setViewportSize({ width, height: 900 });
    await locator.scrollIntoViewIfNeeded();
    await locator.screenshot({ path: join(process.env.LANTERN_SHOTS, `${name}-${width}.png`) });
  }
  await t.page.setViewportSize({ width: 1280, height: 900 });
}

test('p12: the exported tipping point and the page agree; the mixed model is read beside the complete cases', async () => {
  const got = JSON.parse((await download(t.page, 'export-results')).text);
  const tp = got.results.tipping_point;
  assert.equal(tp.estimand, 'ancova_post');
  assert.deepEqual(tp.imputed, { control: 20, intervention: 14 });
  assert.equal(tp.imputations, 100);
  // R mice over 30 seeds gave a tipping δ of 0.5, 0.6 or 0.7 (tests/data/tipping_reference.json).
  assert.ok([0.5, 0.6, 0.7].includes(tp.tipping_delta), `tipping δ ${tp.tipping_delta}`);
  const mixed = await t.page.textContent('[data-testid="mixed"]');
  assert.match(mixed, new RegExp(`uses ${got.results.mixed.n_people} people instead of ${got.results.ancova.n}`));
  const card = t.page.locator('[data-testid="tipping-point"]');
  const text = await card.textContent();
  const post = await card.locator('[data-testid="tipping-post"]').textContent();
  assert.match(post, /^After the program/);
  assert.match(post, /34 of 160 people have no score after the program/);
  assert.match(post, new RegExp(`did about ${tp.tipping_delta} points worse \\(or more\\)`));
  assert.equal(await card.locator('[data-testid="tipping-table"] tbody tr').count(), tp.rows.length);
  assert.equal(await card.locator('[data-testid="tipping-post"] figure').count(), 1, 'the tipping chart');
  // Beside it, the follow-up score (60 missing); R mice gave a tipping δ of 0.1, 0.2 or 0.3.
  const fu = got.results.tipping_point_followup;
  assert.equal(fu.estimand, 'ancova_followup');
  assert.deepEqual(fu.imputed, { control: 27, intervention: 33 });
  assert.ok([0.1, 0.2, 0.3].includes(fu.tipping_delta), `follow-up tipping δ ${fu.tipping_delta}`);
  const part = card.locator('[data-testid="tipping-followup"]');
  const fuText = await part.textContent();
  assert.match(fuText, /^At follow-up/);
  assert.match(fuText, /60 of 160 people have no follow-up score \(33 in the program group, 27 in the comparison group\)/);
  assert.match(fuText, /the difference between the groups at follow-up, for people with the same starting score is -?\d/);
  assert.match(fuText, new RegExp(`The conclusion at follow-up holds unless the people who dropped out of the program group before the follow-up did about ${fu.tipping_delta} points? worse \\(or more\\)`));
  assert.doesNotMatch(fuText, /after the program/);
  assert.equal(await part.locator('[data-testid="tipping-table-followup"] tbody tr').count(), fu.rows.length);
  assert.equal(await part.locator('figure').count(), 1, 'the follow-up tipping chart');
  await shot(card, 'tipping');
});

test('p12: subgroup tests, adjusted p-values and the forest plot\'s interaction p', async () => {
  const tests = await t.page.textContent('[data-testid="subgroup-tests"]');
  assert.match(tests, /F\(2, 110\) = 1\.09/);
  assert.match(tests, /The data do not show that the program's effect differs between subgroups \(arm × subgroup test, p = 0\.339\)/);
  assert.match(await t.page.textContent('[data-testid="why-adjust"]'), /Holm.*Benjamini–Hochberg/);
  // 4 age bands × 2 arms = 8 adjusted rows.
  assert.equal(await t.page.locator('[data-testid="adjusted-p"] tbody tr').count(), 8);
  assert.match(await t.page.textContent('[data-testid="forest-interaction"]'), /Arm × subgroup interaction: p = 0\.339/);
  await shot(t.page.locator('[data-testid="subgroup-tests"]'), 'subgroup-tests');
});

test('p12: the report states the interaction test first and carries the drop-out context', async () => {
  await t.page.click('a[href="#/report"]');
  await t.page.waitForSelector('[data-testid="report"]');
  const text = await t.page.textContent('[data-testid="report"]');
  assert.match(text, /For whom: the data do not show that the change differs between subgroups \(test of whether the program's effect differs between subgroups, p = 0\.339\)\. As a description only, not as evidence/);
  assert.match(text, /These results use the 126 people with scores before and after; 34 more have no score after the program\./);
  assert.match(text, /the conclusion holds unless the people who dropped out of the program group did about 0\.\d points worse/);
  assert.match(text, /The follow-up results use the 100 people with scores before and at follow-up; 60 more have no follow-up score\. Filling in their scores from similar people who stayed \(100 imputations\), the program's advantage at follow-up is clear \(its interval excludes zero\), and it stays clear unless the people who dropped out of the program group before the follow-up did about 0\.\d points? worse/);
  await shot(t.page.locator('[data-testid="report"]'), 'report');
  await t.page.click('a[href="#/change"]');
});

// Issue 20 item 6: three small files (20 people, arms alternating, scale 1–5, lower is better).
const RECIPE = JSON.stringify({
  columns: { id: 'id', group: 'group', pre: 'score_pre', post: 'score_post', subgroup: 'band' },
  group_levels: { intervention: 'intervention', control: 'control' },
  scale: { min: 1, max: 5, lower_is_better: true },
});
const preOf = (i) => 2 + (i % 5) * 0.4;
function edgeCsv(pre, post, band) {
  const cell = (v) => (v === null ? '' : v.toFixed(2));
  let s = 'id,group,band,score_pre,score_post\n';
  for (let i = 0; i < 20; i++) {
    const arm = i % 2 === 0 ? 'intervention' : 'control';
    s += `P${String(i).padStart(2, '0')},${arm},${band(i)},${cell(pre(i))},${cell(post(i))}\n`;
  }
  return s;
}
const EDGES = {
  // Nobody has both a pre and a post score.
  none: edgeCsv((i) => (i < 10 ? preOf(i) : null), (i) => (i >= 10 ? 1.8 + (i % 4) * 0.3 : null), () => 'A'),
  // Scores move in opposite directions within a person (participant variance at 0); one level.
  boundary: edgeCsv(preOf, (i) => 6 - preOf(i) - (i % 2 === 0 ? 0.3 : 0) + ((i * 7) % 5) * 0.05 - 0.1, () => 'all ages'),
  // Row 0 (program group) alone in band C.
  one: edgeCsv(preOf, (i) => preOf(i) - (i % 2 === 0 ? 0.4 : 0) + ((i * 3) % 7) * 0.1 - 0.3, (i) => (i === 0 ? 'C' : i % 4 < 2 ? 'A' : 'B')),
};

async function loadEdge(name) {
  await t.page.setInputFiles('[data-testid="data-file"]', { name: `edge-${name}.csv`, mimeType: 'text/csv', buffer: Buffer.from(EDGES[name]) });
  await waitReady(t.page);
  await t.page.setInputFiles('[data-testid="recipe-file"]', { name: 'edge-recipe.json', mimeType: 'application/json', buffer: Buffer.from(RECIPE) });
  await waitReady(t.page);
  await t.page.waitForSelector('[data-testid="mixed"]');
  const body = await t.page.textContent('body');
  assert.doesNotMatch(body, /NaN/, `${name}: NaN in the page`);
  assert.doesNotMatch(body, /\binf\b|Infinity/, `${name}: infinity in the page`);
  return body;
}

test('edge cases: each is null with its reason in the page, never NaN', async () => {
  let body = await loadEdge('none');
  const mixed = await t.page.textContent('[data-testid="mixed"]');
  assert.match(mixed, /The mixed model could not be fitted: it needs people with more than one score/);
  assert.doesNotMatch(mixed, /instead of 0/);
  assert.match(await t.page.textContent('[data-testid="tipping-point"]'), /Nobody has both a pre and a post score: the missing post scores cannot be imputed/);
  assert.match(await t.page.textContent('[data-testid="subgroup-tests"]'), /cannot be tested: fewer than 2 subgroups/);

  body = await loadEdge('boundary');
  assert.match(await t.page.textContent('[data-testid="mixed"]'), /The between-person variance is estimated at 0 \(the boundary of the REML fit\)/);
  assert.match(await t.page.textContent('[data-testid="mixed"]'), /the results are those of that fit/);
  const tests = await t.page.textContent('[data-testid="subgroup-tests"]');
  assert.match(tests, /Whether the program's effect differs between subgroups cannot be tested: fewer than 2 subgroups/);
  assert.match(tests, /not computable \(fewer than 2 subgroups with 2 or more people\)/);
  assert.match(await t.page.textContent('[data-testid="tipping-point"]'), /Nobody in the analysis is missing a post score/);

  body = await loadEdge('one');
  assert.match(await t.page.textContent('[data-testid="subgroup-tests"]'), /intervention: left out of the subgroup test \(fewer than 2 people with both scores\): C \(1 with both scores\)\./);
  assert.ok(body.length > 0);
});
