// Issue 18 through the page, as a coordinator with her own export would walk it: group labels
// that are not "intervention"/"control" (guessed, or chosen in the page), role guesses on a
// Google Forms export reshaped to one row per person, and readings that never claim a
// direction their interval does not support.
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

/** A Google Forms-like export: timestamps, e-mail, an age-group question, the group question. */
function formsExport(labels, shift) {
  let csv = 'Timestamp,Email Address,Which age group are you in?,Which group are you in?,stigma_pre,stigma_post\n';
  for (let i = 0; i < 40; i++) {
    const pre = 3 + (i % 5) * 0.25;
    const post = pre - (i % 2 === 0 ? shift : 0) + ((i * 7) % 5 - 2) * 0.1;
    csv += `2024-03-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00,p${i}@example.org,${['18-24', '25-34', '35-54', '55+'][i % 4]},${labels[i % 2]},${pre.toFixed(2)},${post.toFixed(2)}\n`;
  }
  return csv;
}

test('group labels of a real export are guessed, shown and can be changed in the page', async () => {
  await load('Stigma survey (Responses).csv', formsExport(['Peer workshop', 'Waiting list'], 0.5));
  // The roles respect what the columns hold: the group question is the group, the age question the subgroup.
  assert.equal(await t.page.inputValue('#role-group'), 'Which group are you in?');
  assert.equal(await t.page.inputValue('#role-subgroup'), 'Which age group are you in?');
  assert.equal(await t.page.inputValue('#role-pre'), 'stigma_pre');
  // Lantern's guess is preselected in the two choices, and said.
  assert.equal(await t.page.inputValue('[data-testid="group-intervention"]'), 'Peer workshop');
  assert.equal(await t.page.inputValue('[data-testid="group-control"]'), 'Waiting list');
  assert.match(await t.page.textContent('main'), /took “Peer workshop” as the program group/);
  let doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.ok(doc.results.paired.intervention && doc.results.paired.control, 'two arms analysed');
  assert.equal(doc.results.paired.intervention.n, 20);

  // Swapping the choice (a user who knows better) is saved in the recipe and flips the comparison.
  const before = doc.results.two_group_change.mean_diff;
  await t.page.selectOption('[data-testid="group-intervention"]', 'Waiting list');
  await waitReady(t.page);
  await t.page.selectOption('[data-testid="group-control"]', 'Peer workshop');
  await waitReady(t.page);
  doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.deepEqual(doc.recipe.group_levels, { intervention: 'Waiting list', control: 'Peer workshop' });
  assert.ok(Math.abs(doc.results.two_group_change.mean_diff + before) < 1e-9, 'the difference changes sign');
});

test('labels Lantern cannot guess are chosen from the column’s answers; no empty analysis before', async () => {
  await load('colours.csv', formsExport(['Red', 'Blue'], 0.5));
  assert.equal(await t.page.inputValue('[data-testid="group-intervention"]'), '');
  const options = await t.page.$$eval('[data-testid="group-control"] option', (os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', 'Blue', 'Red']);
  assert.match(await t.page.textContent('main'), /choose which answer means the program group/);
  let doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.equal(doc.results.paired, undefined, 'nothing analysed while the arms are unknown');
  await t.page.selectOption('[data-testid="group-intervention"]', 'Red');
  await waitReady(t.page);
  await t.page.selectOption('[data-testid="group-control"]', 'Blue');
  await waitReady(t.page);
  doc = JSON.parse((await download(t.page, 'export-results')).text);
  assert.deepEqual(doc.recipe.group_levels, { intervention: 'Red', control: 'Blue' });
  assert.equal(doc.results.paired.intervention.n, 20);
  assert.equal(doc.results.paired.control.n, 20);
});

test('a change whose interval includes zero is not called an improvement', async () => {
  await load('flat.csv', formsExport(['Workshop', 'Waitlist'], 0.0));
  const doc = JSON.parse((await download(t.page, 'export-results')).text);
  const c = doc.results.paired.control;
  assert.ok(c.ci_low < 0 && c.ci_high > 0, `control's interval includes zero: ${c.ci_low} to ${c.ci_high}`);
  const reading = await t.page.textContent('article[data-arm="control"] .reading');
  assert.match(reading, /no clear change/);
  assert.doesNotMatch(reading, /improved|got worse/);
  await t.page.goto(t.server.url + '/#/report');
  const summary = await t.page.textContent('main');
  assert.match(summary, /people in the comparison group[^.]*there was no clear change/);
  assert.doesNotMatch(summary, /comparison group[^.]*: an improvement/);
  await t.page.goto(t.server.url + '/#/change');
});
