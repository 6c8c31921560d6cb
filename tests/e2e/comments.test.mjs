// Free-text answers end to end (CONTRACT §6, issue 21): the public case pc1 through the page
// (data file + case file as recipe → results.comments within tolerance), then in the page:
// pick the comment column, add a code, tag one comment by hand, star a quote holding an
// e-mail address and a phone number and find it redacted in the report; and at 390 px (a phone)
// nothing in the Comments part or the report's comments is wider than the screen except inside
// a scrolling box that says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, download, compare, REFERENCE } from './helpers.mjs';

const DIR = join(REFERENCE, 'comments');
const CASE = 'pc1_trial_comments_n80';
const COLUMN = 'What, if anything, changed for you?';

let t, spec, specText, csv;
before(async () => {
  specText = await readFile(join(DIR, `${CASE}.json`), 'utf8');
  spec = JSON.parse(specText);
  csv = await readFile(join(DIR, spec.csv));
  t = await start();
});
after(async () => { await t?.close(); });

async function fresh() {
  await t.page.goto(t.server.url + '/');
  await waitReady(t.page);
}

async function loadData(page) {
  await page.setInputFiles('[data-testid="data-file"]', { name: spec.csv, mimeType: 'text/csv', buffer: csv });
  await page.waitForFunction((f) => document.querySelector('[data-testid="status"]')?.textContent.includes(f), spec.csv);
  await waitReady(page);
}

test('pc1: every results.comments key through the page equals the reference; no comment text in the results', async () => {
  const page = t.page;
  await fresh();
  await loadData(page);
  await page.setInputFiles('[data-testid="recipe-file"]', { name: `${CASE}.json`, mimeType: 'application/json', buffer: Buffer.from(specText) });
  await page.waitForSelector('[data-testid="comment-results"]');
  await waitReady(page);
  const { text } = await download(page, 'export-results');
  const doc = JSON.parse(text);
  const failures = [];
  const counter = { n: 0 };
  compare(spec.results.comments, doc.results.comments, 'comments', failures, counter);
  assert.deepEqual(failures, []);
  assert.ok(counter.n >= 70, `only ${counter.n} values compared`);
  // The codebook keeps its order in the saved recipe and in the results.
  assert.deepEqual(Object.keys(doc.recipe.comments.codebook), Object.keys(spec.comments.codebook));
  assert.deepEqual(Object.keys(doc.results.comments[COLUMN].codes), Object.keys(spec.comments.codebook));
  const results = JSON.stringify(doc.results);
  for (const secret of ['jo.bloggs', '07700', 'Happy to talk']) assert.ok(!results.includes(secret), secret);
  assert.ok(!text.includes('jo.bloggs'));
});

test('pick the column, add a code, tag a comment by hand, star a quote: redacted in the page and the report', async () => {
  const page = t.page;
  await fresh();
  await loadData(page);
  // The column is offered (long, mostly distinct answers) and the part is open.
  const box = `[data-comment-column="${COLUMN}"]`;
  await page.waitForSelector(box);
  assert.ok(await page.isVisible(box));
  assert.match(await page.textContent('[data-testid="comment-columns"]'), /looks like comments/);
  await page.check(box);
  await page.waitForSelector('[data-testid="comment-browser"] li.comment');

  // A code built in the page.
  await page.fill('[data-testid="new-code-name"]', 'talking');
  await page.fill('[data-testid="new-code-phrases"]', 'talk*, conversation*');
  await page.click('[data-testid="add-code"]');
  await page.waitForSelector('[data-testid="codebook"] tr[data-code="talking"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="comment-results"]')?.textContent.includes('talking'));
  await waitReady(page);
  let doc = JSON.parse((await download(page, 'export-results')).text);
  const before = doc.results.comments[COLUMN].codes.talking.count;
  assert.ok(before > 0, 'talk* matches some comments');
  assert.deepEqual(doc.recipe.comments.columns, [COLUMN]);
  assert.deepEqual(doc.recipe.comments.codebook.talking, ['talk*', 'conversation*']);

  // Hand-tag the first listed comment that does not have the code yet.
  const row = await page.evaluate(() => {
    for (const li of document.querySelectorAll('[data-testid="comment-browser"] li.comment')) {
      if (li.querySelector('select[data-testid="tag-code"] option[value="talking"]')) return li.dataset.row;
    }
    return null;
  });
  assert.ok(row, 'a comment without the code');
  await page.selectOption(`li.comment[data-row="${row}"] select[data-testid="tag-code"]`, 'talking');
  await page.waitForFunction((r) => document.querySelector(`li.comment[data-row="${r}"]`)?.textContent.includes('talking (by hand)'), row);
  await waitReady(page);
  doc = JSON.parse((await download(page, 'export-results')).text);
  assert.equal(doc.results.comments[COLUMN].codes.talking.count, before + 1);
  assert.deepEqual(doc.recipe.comments.manual[COLUMN][row], ['talking']);

  // Search for the comment with an e-mail address and a phone number, and star it.
  await page.fill('#comment-search', 'bloggs');
  await page.dispatchEvent('#comment-search', 'change');
  await page.waitForFunction(() => {
    const items = document.querySelectorAll('[data-testid="comment-browser"] li.comment');
    return items.length === 1 && items[0].querySelector('mark.search');
  });
  const starred = await page.getAttribute('[data-testid="comment-browser"] li.comment', 'data-row');
  await page.click(`li.comment[data-row="${starred}"] [data-testid="star"]`);
  await page.waitForSelector(`li.comment[data-row="${starred}"] [data-testid="quote-preview"]`);
  const preview = await page.textContent(`li.comment[data-row="${starred}"] [data-testid="quote-preview"]`);
  assert.match(preview, /\[removed\]/);
  assert.ok(!preview.includes('jo.bloggs') && !preview.includes('07700'), preview);
  await waitReady(page);
  doc = JSON.parse((await download(page, 'export-results')).text);
  assert.deepEqual(doc.recipe.comments.quotes[COLUMN], [Number(starred)]);
  assert.ok(!JSON.stringify(doc).includes('jo.bloggs'));

  // The coded-comments CSV: redacted by default.
  const exported = await download(page, 'export-comments');
  assert.match(exported.name, /-comments\.csv$/);
  assert.ok(exported.text.startsWith('row,column,wave,arm,codes,text\n'));
  assert.ok(!exported.text.includes('jo.bloggs') && exported.text.includes('[removed]'));

  // The report prints the quote redacted, with the comments section.
  await page.click('a[href="#/report"]');
  await page.waitForSelector('[data-testid="report-quote"]');
  const quote = await page.textContent('[data-testid="report-quote"]');
  assert.match(quote, /^Happy to talk more about it: \[removed\] or \[removed\]$/);
  assert.match(await page.textContent('[data-section="comments"]'), /What participants wrote/);
  assert.deepEqual(t.consoleErrors, []);
});

test('wave-linked files: pre_/post_ comment columns side by side by wave, co-occurring codes, the browser filtered by wave', async () => {
  const page = t.page;
  await fresh();
  const before = 'code,group,stigma,feedback\n'
    + 'A001,Peer workshop,20,I was scared of people with mental illness\n'
    + 'A002,Peer workshop,22,Not sure what to expect\n'
    + 'A003,Waiting list,18,\n'
    + 'A004,Waiting list,25,I feel afraid to talk about it\n';
  const afterCsv = 'code,stigma,feedback\n'
    + 'A001,15,I understand now and the peer story helped\n'
    + 'A002,17,The peer made it real\n'
    + 'A003,18,I understand a bit more\n'
    + 'A004,24,\n';
  await page.setInputFiles('[data-testid="data-file"]', [
    { name: 'survey before.csv', mimeType: 'text/csv', buffer: Buffer.from(before) },
    { name: 'survey after.csv', mimeType: 'text/csv', buffer: Buffer.from(afterCsv) },
  ]);
  await page.waitForSelector('[data-testid="waves"]');
  const recipe = {
    link: { waves: { pre: 'survey before.csv', post: 'survey after.csv' }, code: ['code'], max_distance: 1 },
    columns: { pre: 'pre_stigma', post: 'post_stigma', group: 'pre_group' },
    group_levels: { intervention: 'Peer workshop', control: 'Waiting list' },
    comments: { columns: ['pre_feedback', 'post_feedback'], codebook: { fear: ['scar*', 'afraid'], understanding: ['understand*'], contact: ['peer*'] } },
  };
  await page.setInputFiles('[data-testid="recipe-file"]', { name: 'lantern-recipe.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(recipe)) });
  await page.waitForSelector('[data-testid="comments-by-wave"]');
  await waitReady(page);
  // By hand: before 3 comments (fear 2, none of the others), after 3 (understanding 2,
  // contact 2). Wilson 95%: R prop.test(0, 3, correct = FALSE) 0–0.5615; (2, 3) 0.2077–0.9385.
  const rows = await page.locator('[data-testid="comments-by-wave"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(await page.locator('[data-testid="comments-by-wave"] thead th').allTextContents(), ['Code', 'Before', 'After']);
  assert.deepEqual(rows[1], ['understanding', '0 of 3 (0%; 0% to 56%)', '2 of 3 (67%; 21% to 94%)']);
  assert.deepEqual(rows[0], ['fear', '2 of 3 (67%; 21% to 94%)', '0 of 3 (0%; 0% to 56%)']);
  // Co-occurring codes of the after column: understanding and contact in one comment (A001).
  const co = page.locator('[data-testid="comment-results"][data-column="post_feedback"] [data-testid="co-occurrence"]');
  assert.match(await co.textContent(), /“understanding” and “contact” come up together in 1 comment \(33% of the comments\)/);
  // The wave filter: the same question at the other wave.
  await page.waitForSelector('[data-testid="comment-wave"]');
  await page.selectOption('[data-testid="comment-wave"]', 'post');
  await page.waitForFunction(() => /comments in “post_feedback”/.test(document.querySelector('[data-testid="comment-browser"]')?.textContent ?? ''));
  assert.match(await page.textContent('[data-testid="comment-browser"] li.comment'), /I understand now/);
  await page.selectOption('[data-testid="comment-wave"]', 'pre');
  await page.waitForFunction(() => /comments in “pre_feedback”/.test(document.querySelector('[data-testid="comment-browser"]')?.textContent ?? ''));
  assert.match(await page.textContent('[data-testid="comment-browser"] li.comment'), /scared/);
  assert.deepEqual(t.consoleErrors, []);
});

test('on a 390 px phone nothing in the Comments part or the report\'s comments sticks out, except inside a scrolling box with its cue; fields are readable', async () => {
  const page = t.page;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await fresh();
    await loadData(page);
    await page.setInputFiles('[data-testid="recipe-file"]', { name: `${CASE}.json`, mimeType: 'application/json', buffer: Buffer.from(specText) });
    await page.waitForSelector('[data-testid="comment-results"]');
    await waitReady(page);
    await page.fill('#comment-search', 'bloggs');
    await page.dispatchEvent('#comment-search', 'change');
    await page.waitForSelector('[data-testid="comment-browser"] li.comment mark.search');
    await page.click('[data-testid="comment-browser"] li.comment [data-testid="star"]');
    await page.waitForSelector('[data-testid="quote-preview"]');
    // The quote preview shows each removed detail once.
    assert.equal(await page.textContent('[data-testid="quote-preview"]'), 'In the report: “Happy to talk more about it: [removed] or [removed]”');
    await page.fill('#comment-search', 'help');
    await page.dispatchEvent('#comment-search', 'change');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="comment-browser"] li.comment').length > 1);
    await waitReady(page);
    await page.evaluate(() => document.querySelectorAll('[data-testid="comments"] details:not([open])').forEach((d) => { d.open = true; }));
    await page.waitForTimeout(300); // scrolling boxes measure themselves after rendering
    // What sticks out on the right of the viewport, outside a scrolling box (`.scrolls`).
    const layout = (root) => page.evaluate((sel) => {
      const part = document.querySelector(sel);
      const out = [...part.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.scrolls'))
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)})`);
      const boxes = [...part.querySelectorAll('.scrolls')].map((b) => ({
        tag: b.tagName.toLowerCase(),
        overflows: b.scrollWidth > b.clientWidth + 1,
        cue: b.nextElementSibling?.classList.contains('scroll-cue') ?? false,
        focusable: b.getAttribute('tabindex') === '0',
      }));
      return { out: out.slice(0, 12), boxes, pageWidth: document.scrollingElement.scrollWidth };
    }, root);
    const part = await layout('[data-testid="comments"]');
    assert.deepEqual(part.out, []);
    assert.ok(part.pageWidth <= 390, `the page scrolls sideways: ${part.pageWidth}`);
    // The codebook and results tables and the chart scroll in their own boxes, each with its cue.
    assert.ok(part.boxes.some((b) => b.tag === 'figure'), 'the chart scrolls in its figure');
    assert.ok(part.boxes.filter((b) => b.tag === 'div').length >= 2, 'the codebook and the results table scroll in their boxes');
    for (const b of part.boxes) assert.deepEqual({ overflows: b.overflows, cue: b.cue, focusable: b.focusable }, { overflows: true, cue: true, focusable: true }, b.tag);
    // Phrase fields wide enough to read (not the browser's default 20 characters squeezed).
    const widths = await page.evaluate(() => ({
      phrases: [...document.querySelectorAll('[data-testid="codebook"] input.phrases')].map((i) => i.getBoundingClientRect().width),
      fields: ['#new-code-phrases', '#comment-search', '#redact-words'].map((s) => {
        const i = document.querySelector(s);
        return Math.round(i.getBoundingClientRect().width - i.parentElement.getBoundingClientRect().width);
      }),
    }));
    assert.ok(widths.phrases.length === 6 && widths.phrases.every((w) => w >= 250), `phrase fields: ${widths.phrases}`);
    assert.deepEqual(widths.fields, [0, 0, 0], 'the new code, search and words-to-remove fields are as wide as their box');

    await page.click('a[href="#/report"]');
    await page.waitForSelector('[data-testid="report-quote"]');
    await page.waitForTimeout(300);
    const report = await layout('[data-section="comments"]');
    assert.deepEqual(report.out, []);
    assert.ok(report.pageWidth <= 390, `the report scrolls sideways: ${report.pageWidth}`);
    for (const b of report.boxes) assert.equal(b.cue, b.overflows, b.tag);
    assert.ok(report.boxes.some((b) => b.tag === 'figure' && b.cue), 'the report chart says it scrolls');
  } finally {
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  assert.deepEqual(t.consoleErrors, []);
});
