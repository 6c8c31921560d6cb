"""Cross-check of counts_reference.R with statsmodels (the same three series).

Run: python3 tests/data/counts_reference.py > tests/data/counts_reference_py.out
(statsmodels 0.14, SciPy 1.x). GLM(Poisson, offset = log(exposure)) fitted by IRLS with a tight
tolerance; fit(scale="X2") gives the quasi-Poisson standard errors (Pearson chi2 / df).
"""
import numpy as np
import statsmodels.api as sm
from statsmodels.stats.rates import test_poisson_2indep

series = {
    "s1": (13, [30, 40, 27, 53, 37, 43, 33, 45, 49, 43, 40, 38, 66, 56, 54, 59, 66, 51, 66, 50, 53, 38, 61, 48],
           [50000 + 150 * t for t in range(1, 25)]),
    "s2": (9, [0, 0, 0, 2, 1, 0, 2, 1, 0, 0, 0, 3, 1, 3, 2, 0], [1] * 16),
    "s3": (19, [100, 169, 75, 168, 79, 105, 86, 116, 93, 82, 103, 169, 219, 84, 176, 81, 134, 93,
                132, 162, 136, 74, 217, 171, 247, 225, 131, 136, 123, 200],
           ([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] * 3)[:30]),
}
for name, (start, count, exposure) in series.items():
    y = np.array(count, dtype=float)
    t = np.arange(1, len(y) + 1, dtype=float)
    post = (t >= start).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, (t - start) * post])
    model = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(np.array(exposure, dtype=float)))
    r = model.fit(tol=1e-14, maxiter=100)
    q = model.fit(tol=1e-14, maxiter=100, scale="X2")
    ci = r.conf_int()
    print(f"## {name}: deviance {float(r.deviance)!r} pearson_chi2 {float(r.pearson_chi2)!r} df {int(r.df_resid)} dispersion {float(r.pearson_chi2 / r.df_resid)!r}")
    for j in range(4):
        vals = [r.params[j], r.bse[j], r.tvalues[j], r.pvalues[j], ci[j, 0], ci[j, 1], q.bse[j]]
        print("(" + ", ".join(repr(float(v)) for v in vals) + "),")

# Exact conditional test of two Poisson rates (statsmodels' name for R's poisson.test p-value).
print("## test_poisson_2indep(a, Ta, b, Tb, method='exact-cond').pvalue")
for a, ta, b, tb in [(30, 12, 52, 12), (11, 6, 4, 6), (0, 10, 7, 12), (120, 48000, 95, 51000), (3, 2.5, 3, 7.5), (250, 365, 310, 365)]:
    print(a, ta, b, tb, repr(float(test_poisson_2indep(a, ta, b, tb, method="exact-cond").pvalue)))
