// The statistics of the JavaScript arms, written once and shared by the PapaParse and uDSV
// arms: paired t, Welch t, Wilcoxon signed-rank (normal approximation with tie and continuity
// correction) and McNemar (continuity-corrected chi-square), with jStat's CDFs — what a web
// developer would write around a CSV parser. Inputs are typed arrays, one value per row:
//   arm  Int8Array   0 = intervention, 1 = control, -1 = neither
//   pre, post        Float64Array, NaN = missing
//   helpPre, helpPost Int8Array  1 = yes, 0 = no, -1 = missing
// Served to the page with the libraries (same origin); needs the global `jStat`.
(function () {
  'use strict';
  const J = () => globalThis.jStat;

  function twoSidedT(t, df) {
    return Number.isFinite(t) && df > 0 ? 2 * (1 - J().studentt.cdf(Math.abs(t), df)) : NaN;
  }

  function meanVar(x, n) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i];
    m /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
    return [m, n > 1 ? ss / (n - 1) : NaN];
  }

  function pairedT(d, n) {
    const [m, v] = meanVar(d, n);
    const sd = Math.sqrt(v);
    const t = m / (sd / Math.sqrt(n));
    return { n, meanDiff: m, sd, t, df: n - 1, p: twoSidedT(t, n - 1) };
  }

  function welchT(x, nx, y, ny) {
    const [mx, vx] = meanVar(x, nx);
    const [my, vy] = meanVar(y, ny);
    const sx = vx / nx, sy = vy / ny;
    const t = (mx - my) / Math.sqrt(sx + sy);
    const df = (sx + sy) ** 2 / (sx * sx / (nx - 1) + sy * sy / (ny - 1));
    return { n1: nx, n2: ny, meanDiff: mx - my, t, df, p: twoSidedT(t, df) };
  }

  function wilcoxonSignedRank(d, n) {
    // |d| of positive and negative differences, each sorted; zeros dropped.
    let np = 0, nn = 0;
    for (let i = 0; i < n; i++) { if (d[i] > 0) np++; else if (d[i] < 0) nn++; }
    const pos = new Float64Array(np), neg = new Float64Array(nn);
    np = 0; nn = 0;
    for (let i = 0; i < n; i++) { if (d[i] > 0) pos[np++] = d[i]; else if (d[i] < 0) neg[nn++] = -d[i]; }
    pos.sort(); neg.sort();
    // Merge, giving tied |d| their average rank.
    let i = 0, j = 0, rank = 1, wPlus = 0, ties = 0;
    while (i < np || j < nn) {
      const v = j >= nn || (i < np && pos[i] <= neg[j]) ? pos[i] : neg[j];
      let cp = 0, cn = 0;
      while (i < np && pos[i] === v) { i++; cp++; }
      while (j < nn && neg[j] === v) { j++; cn++; }
      const t = cp + cn;
      wPlus += cp * (rank + (t - 1) / 2);
      ties += t * t * t - t;
      rank += t;
    }
    const m = np + nn;
    const mean = m * (m + 1) / 4;
    const sd = Math.sqrt(m * (m + 1) * (2 * m + 1) / 24 - ties / 48);
    const diff = wPlus - mean;
    const z = (diff - 0.5 * Math.sign(diff)) / sd;
    return { n: m, v: wPlus, z, p: 2 * (1 - J().normal.cdf(Math.abs(z), 0, 1)) };
  }

  function mcNemar(b, c) {
    const chi2 = b + c > 0 ? (Math.abs(b - c) - 1) ** 2 / (b + c) : NaN;
    return { b, c, chi2, p: Number.isFinite(chi2) ? 1 - J().chisquare.cdf(chi2, 1) : NaN };
  }

  /** Every test Lantern's change view reports for two arms (per arm, and between arms). */
  function analyse({ arm, pre, post, helpPre, helpPost }) {
    const rows = arm.length;
    const out = { rows, paired: {}, mcnemar: {} };
    const change = [new Float64Array(rows), new Float64Array(rows)];
    const nChange = [0, 0];
    const postOf = [new Float64Array(rows), new Float64Array(rows)];
    const nPost = [0, 0];
    const b = [0, 0], c = [0, 0];
    for (let i = 0; i < rows; i++) {
      const a = arm[i];
      if (a < 0) continue;
      const p = pre[i], q = post[i];
      if (q === q) postOf[a][nPost[a]++] = q;
      // Differences rounded to 9 decimals, as Lantern does, so that equal changes tie.
      if (p === p && q === q) change[a][nChange[a]++] = Math.round((q - p) * 1e9) / 1e9;
      const h0 = helpPre[i], h1 = helpPost[i];
      if (h0 >= 0 && h1 >= 0 && h0 !== h1) { if (h0 === 1) b[a]++; else c[a]++; }
    }
    ['intervention', 'control'].forEach((name, a) => {
      out.paired[name] = { t: pairedT(change[a], nChange[a]), wilcoxon: wilcoxonSignedRank(change[a], nChange[a]) };
      out.mcnemar[name] = mcNemar(b[a], c[a]);
    });
    out.welchPost = welchT(postOf[0], nPost[0], postOf[1], nPost[1]);
    out.welchChange = welchT(change[0], nChange[0], change[1], nChange[1]);
    return out;
  }

  globalThis.benchStats = { analyse, pairedT, welchT, wilcoxonSignedRank, mcNemar };
})();
