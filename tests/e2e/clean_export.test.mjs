// Issue 23, item 1 through the page: each public formats/ export, uploaded and downloaded as
// cleaned data, equals clean.csv cell for cell (identifying columns aside): columns found by
// the manifest's `columns`, numbers compared as numbers, text exactly, missing = blank. Then
// the data dictionary offered beside it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, waitReady, download, REFERENCE } from './helpers.mjs';

const FORMATS = join(REFERENCE, 'formats');
let t;
before(async () => {
  t = await start();
  await t.page.goto(t.server.url + '/');
  await waitReady(t.page);
});
after(async () => { await t?.close(); });

/** RFC 4180 CSV → rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function upload(file) {
  const buffer = await readFile(join(FORMATS, file));
  await t.page.setInputFiles('[data-testid="data-file"]', { name: file, mimeType: 'text/csv', buffer });
  await t.page.waitForFunction((n) => document.querySelector('[data-testid="status"]')?.textContent.includes(n), file);
  await waitReady(t.page);
}

test('every formats/ export downloads as clean.csv, cell for cell', async () => {
  const manifest = JSON.parse(await readFile(join(FORMATS, 'manifest.json'), 'utf8'));
  const [cleanHeader, ...cleanRows] = parseCsv(await readFile(join(FORMATS, 'clean.csv'), 'utf8'));
  const numeric = new Set(manifest.numeric_columns);
  assert.equal(manifest.files.length, 7);
  const fails = [];
  const compared = {};
  for (const entry of manifest.files) {
    await upload(entry.file);
    const { name, text } = await download(t.page, 'export-clean-csv');
    assert.equal(name, entry.file.replace(/\.csv$/, '-clean.csv'));
    const [header, ...rows] = parseCsv(text);
    if (rows.length !== cleanRows.length) fails.push(`${entry.file}: ${rows.length} rows`);
    compared[entry.file] = 0;
    cleanHeader.forEach((cleanCol, j) => {
      const k = header.indexOf(entry.columns[cleanCol]);
      if (k < 0) return; // left out as identifying (checked below for the name column)
      compared[entry.file] += 1;
      // The manifest's text → text maps relabel categories (SurveyMonkey's "25 to 34" →
      // "25-34", group words → arm names); the cleaned data keeps the export's own labels.
      const relabel = numeric.has(cleanCol) ? null : entry.value_maps?.[cleanCol];
      cleanRows.forEach((want, r) => {
        const got = rows[r]?.[k] ?? '';
        const w = want[j] ?? '';
        const same = numeric.has(cleanCol)
          ? (w === '' && got === '') || (w !== '' && got !== '' && Number(w) === Number(got))
          : (relabel?.[got] ?? got) === w;
        if (!same) fails.push(`${entry.file}: ${cleanCol} row ${r + 1}: got ${JSON.stringify(got)}, want ${JSON.stringify(w)}`);
      });
    });
  }
  assert.deepEqual(fails, []);
  // Every column but the flagged names is compared; the names column is left out where it is
  // recognised (the Qualtrics `Q2` names column is issue 23 item 2's work).
  for (const [file, n] of Object.entries(compared)) assert.ok(n >= 16, `${file}: only ${n} columns compared`);
});

test('the data dictionary says how each column was converted', async () => {
  await upload('a_qualtrics_export.csv');
  const { name, text } = await download(t.page, 'export-dictionary');
  assert.equal(name, 'a_qualtrics_export-dictionary.csv');
  const [header, ...rows] = parseCsv(text);
  assert.deepEqual(header, ['column', 'source_header', 'question', 'type', 'written_as', 'value_map', 'missing_codes', 'notes']);
  const row = (c) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === c)[i]]));
  const q = row('Q4_1');
  assert.equal(q.question, 'How much do you agree or disagree with each statement? - People with a mental illness are dangerous.');
  assert.equal(q.value_map, 'Strongly disagree=1; Somewhat disagree=2; Neither agree nor disagree=3; Somewhat agree=4; Strongly agree=5');
  assert.equal(q.missing_codes, '1 blank');
  assert.equal(row('Q5').value_map, 'No=0; Yes=1');
  const { text: clean } = await download(t.page, 'export-clean-csv');
  assert.deepEqual(rows.map((r) => r[0]), parseCsv(clean)[0], 'one dictionary row per column written, in order');
});
