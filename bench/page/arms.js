// Injected into the Lantern page by the benchmark (same origin, so the page's CSP allows it).
// Times each arm from the file input's `change` event to "results ready", in the page:
//   - Lantern: the app's own file input [data-testid=data-file]; ready when the status element
//     says data-state="ready" and names the new file.
//   - papa / udsv: a hidden file input of this script; the file is read, parsed (PapaParse
//     fastMode + Number(), or uDSV typed columns), then analysed by bench/page/stats.js.
// A long-task observer records main-thread blocking; the harness matches it to each run.
(function () {
  'use strict';
  const B = (globalThis.__bench = { longtasks: [], runs: 0 });
  const yieldToEventLoop = () => new Promise((ok) => setTimeout(ok, 0));

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
    B.longtaskObserver = true;
  } catch (e) {
    B.longtaskObserver = false;
  }

  /** Long tasks overlapping [t0, t1]: count, longest, total blocking time (Σ over 50 ms). */
  B.blocking = (t0, t1) => {
    let count = 0, max = 0, tbt = 0;
    for (const [s, d] of B.longtasks) {
      if (s <= t1 && s + d >= t0) {
        count++;
        max = Math.max(max, d);
        tbt += Math.max(0, d - 50);
      }
    }
    return { count, max, tbt };
  };

  // ---- Lantern ------------------------------------------------------------------------------
  let lantern = null;
  document.addEventListener('change', (e) => {
    if (lantern && e.target instanceof HTMLInputElement && e.target.matches('[data-testid="data-file"]')) {
      lantern.t0 = performance.now();
    }
  }, true);

  /** Arms a Lantern run for a file called `name`; resolves when its results are on screen. */
  B.armLantern = (name) => {
    const run = { name, t0: NaN };
    run.done = new Promise((resolve) => {
      const check = () => {
        const el = document.querySelector('[data-testid="status"]');
        if (!el || !(run.t0 >= 0)) return;
        const state = el.getAttribute('data-state');
        if (state === 'ready' && el.textContent.includes(`“${name}”`)) {
          const t1 = performance.now();
          obs.disconnect();
          resolve({ t0: run.t0, t1, ms: t1 - run.t0, status: el.textContent });
        } else if (state === 'error') {
          obs.disconnect();
          const alert = document.querySelector('[role="alert"]');
          resolve({ error: alert ? alert.textContent : el.textContent });
        }
      };
      const obs = new MutationObserver(check);
      obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
    });
    lantern = run;
    return true;
  };
  B.waitLantern = async () => {
    const r = await lantern.done;
    lantern = null;
    return r;
  };

  // ---- JavaScript arms -------------------------------------------------------------------------
  const input = document.createElement('input');
  input.type = 'file';
  input.id = '__bench_file';
  input.hidden = true;
  document.body.appendChild(input);

  const need = ['group', 'pre', 'post', 'help_pre', 'help_post'];
  const armCode = (g) => {
    const s = g == null ? '' : String(g).trim().toLowerCase();
    return s === 'intervention' ? 0 : s === 'control' ? 1 : -1;
  };
  const yesNo = (h) => {
    if (h === true) return 1;
    if (h === false) return 0;
    const s = h == null ? '' : String(h).trim().toLowerCase();
    return s === 'yes' || s === '1' ? 1 : s === 'no' || s === '0' ? 0 : -1;
  };
  const num = (s) => (s == null || s === '' ? NaN : Number(s));

  /** PapaParse (fast mode when the file has no quotes, as Papa itself decides) + Number(). */
  function papaColumns(text) {
    const res = globalThis.Papa.parse(text, { fastMode: text.indexOf('"') < 0, skipEmptyLines: true });
    const rows = res.data;
    const head = rows[0].map((h) => h.trim());
    const [g, p, q, h0, h1] = need.map((n) => head.indexOf(n));
    const n = rows.length - 1;
    const cols = { arm: new Int8Array(n), pre: new Float64Array(n), post: new Float64Array(n), helpPre: new Int8Array(n), helpPost: new Int8Array(n) };
    for (let i = 0; i < n; i++) {
      const r = rows[i + 1];
      cols.arm[i] = armCode(r[g]);
      cols.pre[i] = num(r[p]);
      cols.post[i] = num(r[q]);
      cols.helpPre[i] = yesNo(r[h0]);
      cols.helpPost[i] = yesNo(r[h1]);
    }
    return cols;
  }

  /** uDSV: schema inferred from the text, typed columns (numbers, booleans, null for blanks). */
  function udsvColumns(text) {
    const { inferSchema, initParser } = globalThis.uDSV;
    const schema = inferSchema(text);
    const typed = initParser(schema).typedCols(text);
    const [g, p, q, h0, h1] = need.map((n) => schema.cols.findIndex((c) => c.name.trim() === n));
    const n = typed[0].length;
    const cols = { arm: new Int8Array(n), pre: new Float64Array(n), post: new Float64Array(n), helpPre: new Int8Array(n), helpPost: new Int8Array(n) };
    for (let i = 0; i < n; i++) {
      cols.arm[i] = armCode(typed[g][i]);
      const a = typed[p][i], b = typed[q][i];
      cols.pre[i] = a == null ? NaN : a;
      cols.post[i] = b == null ? NaN : b;
      cols.helpPre[i] = yesNo(typed[h0][i]);
      cols.helpPost[i] = yesNo(typed[h1][i]);
    }
    return cols;
  }

  const PARSERS = { papa: papaColumns, udsv: udsvColumns };
  let js = null;

  input.addEventListener('change', () => {
    const run = js;
    if (!run) return;
    run.t0 = performance.now();
    const file = input.files[0];
    input.value = '';
    (async () => {
      try {
        const text = await file.text();
        await yieldToEventLoop();
        const t1 = performance.now();
        const cols = PARSERS[run.arm](text);
        const t2 = performance.now();
        await yieldToEventLoop();
        const t3 = performance.now();
        const result = globalThis.benchStats.analyse(cols);
        const t4 = performance.now();
        run.resolve({ t0: run.t0, t1: t4, ms: t4 - run.t0, parseMs: t2 - t1, statsMs: t4 - t3, result });
      } catch (e) {
        run.resolve({ error: String(e && e.stack || e) });
      }
    })();
  });

  /** Arms a JavaScript run (`papa` or `udsv`) for the next file given to the hidden input. */
  B.armJs = (arm) => {
    js = { arm };
    js.done = new Promise((ok) => (js.resolve = ok));
    return true;
  };
  B.waitJs = async () => {
    const r = await js.done;
    js = null;
    return r;
  };
})();
