// Deterministic survey fixtures for the benchmark, generated on the fly (never committed):
// id, group, q1..q4 (Likert 1–5), pre, post (scale means, 4 decimals), help_pre, help_post
// (yes/no) — 10 columns, ≈ 47 bytes per row (1M rows ≈ 47 MB).
//
// Variants: `plain` (LF, no quotes), `quoted` (every field quoted), `crlf` (CRLF line ends),
// `missing` (5 % of the cells other than id blank). A seeded generator (mulberry32) makes every
// file byte-identical across runs; the SHA-256 of each is written with the results.
//
// Usage as a script: node fixtures.mjs <rows> <variant> <out.csv>
import { createHash } from 'node:crypto';
import { open, stat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VARIANTS = ['plain', 'quoted', 'crlf', 'missing'];
export const COLUMNS = ['id', 'group', 'q1', 'q2', 'q3', 'q4', 'pre', 'post', 'help_pre', 'help_post'];

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from a uniform source. */
function normal(rand) {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** The rows of a fixture as text chunks of about `chunkRows` rows each. */
export function* fixtureChunks(rows, variant, chunkRows = 20000) {
  const rand = mulberry32(0x5eed + rows * 31 + VARIANTS.indexOf(variant));
  const eol = variant === 'crlf' ? '\r\n' : '\n';
  const quoted = variant === 'quoted';
  const missing = variant === 'missing';
  const cell = (v) => (quoted ? `"${v}"` : v);
  const line = (cells) => cells.map(cell).join(',') + eol;
  let out = line(COLUMNS);
  for (let i = 1; i <= rows; i++) {
    const intervention = rand() < 0.5;
    const trait = normal(rand);
    const pre = clamp(3.2 + 0.6 * trait + 0.3 * normal(rand), 1, 5);
    const effect = intervention ? 0.35 : 0.05;
    const post = clamp(pre - effect + 0.45 * normal(rand), 1, 5);
    const likert = () => String(clamp(Math.round(3 + trait + 0.8 * normal(rand)), 1, 5));
    const helpPre = rand() < 0.28 + 0.05 * trait;
    const helpPost = helpPre ? rand() < 0.8 : rand() < (intervention ? 0.3 : 0.12);
    const cells = [
      String(i),
      intervention ? 'intervention' : 'control',
      likert(), likert(), likert(), likert(),
      pre.toFixed(4), post.toFixed(4),
      helpPre ? 'yes' : 'no', helpPost ? 'yes' : 'no',
    ];
    if (missing) {
      for (let c = 1; c < cells.length; c++) if (rand() < 0.05) cells[c] = '';
    }
    out += line(cells);
    if (i % chunkRows === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

/** Writes a fixture file; returns {path, bytes, sha256}. Reuses a file already written. */
export async function writeFixture(rows, variant, path) {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const fh = await open(path, 'w');
  try {
    for (const chunk of fixtureChunks(rows, variant)) {
      const buf = Buffer.from(chunk, 'utf8');
      hash.update(buf);
      await fh.write(buf);
    }
  } finally {
    await fh.close();
  }
  const { size } = await stat(path);
  return { path, bytes: size, sha256: hash.digest('hex') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [rows, variant, out] = process.argv.slice(2);
  if (!rows || !VARIANTS.includes(variant) || !out) {
    console.error(`usage: node fixtures.mjs <rows> <${VARIANTS.join('|')}> <out.csv>`);
    process.exit(2);
  }
  const info = await writeFixture(Number(rows), variant, out);
  console.log(JSON.stringify(info));
}

// ---- wave files for the linking benchmark ----------------------------------------------------
const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Two wave files of `rows` people before (code, group, score) and about 0.85 × rows after
 * (code, score): 80 % of the people answer after, 5 % of those with one typing slip in their
 * 8-character code, plus rows / 20 people only after. Seeded: the same bytes on every run.
 * `merged`: the same people already in one file, one row each (what linking builds), with the
 * linked table's column names, to time the same analysis without the linking.
 */
export function waveFiles(rows) {
  const r = mulberry32(0x11 + rows);
  const code = () => Array.from({ length: 8 }, () => CODE_CHARS[Math.floor(r() * CODE_CHARS.length)]).join('');
  const pre = ['code,group,score'];
  const post = ['code,score'];
  const merged = ['person,pre_group,pre_score,post_score'];
  for (let i = 0; i < rows; i++) {
    const c = code();
    const score = 10 + Math.floor(r() * 30);
    const group = r() < 0.5 ? 'program' : 'waiting';
    pre.push(`${c},${group},${score}`);
    let after = '';
    if (r() < 0.8) {
      let later = c;
      if (r() < 0.05) {
        const at = Math.floor(r() * 8);
        later = c.slice(0, at) + CODE_CHARS[Math.floor(r() * CODE_CHARS.length)] + c.slice(at + 1);
      }
      after = String(Math.max(0, score - Math.floor(r() * 8)));
      post.push(`${later},${after}`);
    }
    merged.push(`${i + 1},${group},${score},${after}`);
  }
  for (let i = 0; i < rows / 20; i++) {
    const after = 10 + Math.floor(r() * 30);
    post.push(`${code()},${after}`);
    merged.push(`${rows + i + 1},,,${after}`);
  }
  const text = (lines) => lines.join('\n') + '\n';
  return { pre: text(pre), post: text(post), merged: text(merged) };
}
