// Timings in the real page (not a test; run by hand: `cd tests/e2e && node timing-waves.mjs`),
// release build from dist/ (issues 19 and 21):
//
// 1. Two 100,000-row wave files (before: code, group, score; after: code, score; 80% of the
//    people answer after, 5% of them with one typing slip in their code, 5,000 people only
//    after), chosen together in the data-file input with a recipe `link` (max_distance 1)
//    already loaded: time from the input's change event until the status says ready (both files
//    read in the worker, linked, the linked table built and analysed, results on screen). The
//    same before file alone gives the reading + analysis part; the difference is what linking
//    adds (reading the second file, linking, the linked table).
// 2. 10,000 comments of about 500 characters in a 10,000-row file with two arms: time from
//    loading a recipe that names the comment column with the starter codebook (every phrase of
//    the five starter codes) until ready, against the same recipe without comments. The
//    difference holds coding the comments for the results, and again for the page's browser
//    view (plus its word counts of the first 2,000 comments) and drawing the Comments part.
//
// Median of 5 runs each (after one warm-up), printed as JSON.
import { start } from './helpers.mjs';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function waves(n) {
  const r = rng(19);
  const code = () => Array.from({ length: 8 }, () => ALNUM[Math.floor(r() * ALNUM.length)]).join('');
  const pre = ['code,group,score'];
  const post = ['code,score'];
  for (let i = 0; i < n; i++) {
    const c = code();
    const score = 10 + Math.floor(r() * 30);
    pre.push(`${c},${r() < 0.5 ? 'program' : 'waiting'},${score}`);
    if (r() < 0.8) {
      let later = c;
      if (r() < 0.05) {
        const at = Math.floor(r() * 8);
        later = c.slice(0, at) + ALNUM[Math.floor(r() * ALNUM.length)] + c.slice(at + 1);
      }
      post.push(`${later},${Math.max(0, score - Math.floor(r() * 8))}`);
    }
  }
  for (let i = 0; i < n / 20; i++) post.push(`${code()},${10 + Math.floor(r() * 30)}`);
  return { pre: pre.join('\n') + '\n', post: post.join('\n') + '\n' };
}

const WORDS = ('the a i it was really helpful to hear someone talk about their own experience now understand that '
  + 'mental illness is not weakness peer story made real felt scared at first but learned lot would seek help '
  + 'if needed workshop too long boring sessions more time discussion talking friends family doctor changed my '
  + 'view people recover stigma hurts everyone nothing much different for me think differently support').split(' ');
function comments(n) {
  const r = rng(21);
  const rows = ['id,group,pre,post,comment'];
  for (let i = 0; i < n; i++) {
    let text = '';
    while (text.length < 495) text += WORDS[Math.floor(r() * WORDS.length)] + ' ';
    text = text.slice(0, 500).trim().replace(/,/g, '');
    const pre = 20 + Math.floor(r() * 20);
    rows.push(`${i + 1},${r() < 0.5 ? 'program' : 'waiting'},${pre},${pre - Math.floor(r() * 6)},"${text}"`);
  }
  return rows.join('\n') + '\n';
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Arms a timer: from the next change event of `input` until the status is ready again. */
async function arm(page, input) {
  await page.evaluate((sel) => {
    globalThis.__t = { t0: null, t1: null, busy: false };
    const el = document.querySelector(sel);
    el.addEventListener('change', () => { globalThis.__t.t0 = performance.now(); }, { once: true, capture: true });
    const status = document.querySelector('[data-testid="status"]');
    const obs = new MutationObserver(() => {
      const s = status.getAttribute('data-state');
      if (s !== 'ready') globalThis.__t.busy = true;
      else if (globalThis.__t.busy && globalThis.__t.t0 !== null) { globalThis.__t.t1 = performance.now(); obs.disconnect(); }
    });
    obs.observe(status, { attributes: true, attributeFilter: ['data-state'] });
  }, input);
}
async function measured(page) {
  await page.waitForFunction(() => globalThis.__t.t1 !== null, null, { timeout: 120000 });
  return page.evaluate(() => globalThis.__t.t1 - globalThis.__t.t0);
}

const t = await start();
const { page } = t;
const file = (name, text, type = 'text/csv') => ({ name, mimeType: type, buffer: Buffer.from(text) });
const fresh = async () => {
  await page.goto('about:blank');
  await page.goto(t.server.url + '/#/change');
  await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
};

const w = waves(100000);
const linkRecipe = JSON.stringify({
  link: { waves: { pre: 'wave before.csv', post: 'wave after.csv' }, code: ['code'], max_distance: 1 },
  columns: { pre: 'pre_score', post: 'post_score', group: 'pre_group' },
  group_levels: { intervention: 'program', control: 'waiting' },
});
const out = { linking: { two_files_ms: [], one_file_ms: [] }, comments: { with_ms: [], without_ms: [] } };
for (let run = 0; run < 6; run++) {
  await fresh();
  await page.setInputFiles('[data-testid="recipe-file"]', file('lantern-recipe.json', linkRecipe, 'application/json'));
  await page.waitForSelector('[data-testid="status"][data-state="ready"]');
  await arm(page, '[data-testid="data-file"]');
  await page.setInputFiles('[data-testid="data-file"]', [file('wave before.csv', w.pre), file('wave after.csv', w.post)]);
  const two = await measured(page);
  const summary = await page.textContent('[data-testid="linkage-summary"]').catch(() => '');
  await fresh();
  await arm(page, '[data-testid="data-file"]');
  await page.setInputFiles('[data-testid="data-file"]', file('wave before.csv', w.pre));
  const one = await measured(page);
  if (run > 0) { out.linking.two_files_ms.push(two); out.linking.one_file_ms.push(one); }
  if (run === 0) out.linking.reading = summary.slice(0, 300);
}

const c = comments(10000);
const base = { columns: { pre: 'pre', post: 'post', group: 'group' }, group_levels: { intervention: 'program', control: 'waiting' } };
const codebook = {
  understanding: ['understand*', 'learn*', 'realis*', 'makes sense', 'know more', 'aware*', 'now i know'],
  contact: ['peer*', 'someone talk*', 'their own experience', 'story', 'hear*'],
  help_seeking: ['seek help', 'doctor', 'talk to', 'support*', 'ask for help'],
  fear: ['scared', 'afraid', 'fear*', 'uncomfortable', 'nervous'],
  criticism: ['too long', 'boring', 'more time', 'waste', 'not useful'],
};
for (let run = 0; run < 6; run++) {
  await fresh();
  await page.setInputFiles('[data-testid="data-file"]', file('comments.csv', c));
  await page.waitForSelector('[data-testid="status"][data-state="ready"]', { timeout: 60000 });
  await arm(page, '[data-testid="recipe-file"]');
  await page.setInputFiles('[data-testid="recipe-file"]', file('a.json', JSON.stringify(base), 'application/json'));
  const without = await measured(page);
  await arm(page, '[data-testid="recipe-file"]');
  await page.setInputFiles('[data-testid="recipe-file"]', file('b.json', JSON.stringify({ ...base, comments: { columns: ['comment'], codebook } }), 'application/json'));
  const withC = await measured(page);
  await page.waitForSelector('[data-testid="comment-results"]');
  if (run > 0) { out.comments.with_ms.push(withC); out.comments.without_ms.push(without); }
}
const r = (x) => Math.round(x);
console.log(JSON.stringify({
  linking_100k: {
    two_files_median_ms: r(median(out.linking.two_files_ms)),
    one_file_median_ms: r(median(out.linking.one_file_ms)),
    added_by_the_second_file_and_linking_ms: r(median(out.linking.two_files_ms) - median(out.linking.one_file_ms)),
    samples: out.linking,
  },
  comments_10k_x_500: {
    with_comments_median_ms: r(median(out.comments.with_ms)),
    without_median_ms: r(median(out.comments.without_ms)),
    added_by_the_comments_ms: r(median(out.comments.with_ms) - median(out.comments.without_ms)),
    samples: out.comments,
  },
  errors: t.consoleErrors,
}, null, 1));
await t.close();
