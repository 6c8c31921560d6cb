# Reference grid for Lantern's noncentral t (src/core/stats/nct.rs), tested by
# tests/native/nct_grid.rs.  Regenerate with (R >= 4.2):
#   Rscript tests/data/nct_grid.R > tests/data/nct_grid.csv
#
# Columns: q, df, ncp, lower = pt(q, df, ncp), upper = pt(q, df, ncp, lower.tail = FALSE),
# warned = 1 when R signalled a precision warning for that row.
#
# ncp = 40 is NOT here: for ncp^2 > 2*log(2)*1021 (ncp > 37.62) R's pnt() switches to the
# normal approximation of Abramowitz & Stegun 26.7.10, which is off by up to 0.04 (e.g.
# pt(40, 1, 40) = 0.3619 against the exact 0.3175).  Those rows come from an exact
# 60-digit Poisson-mixture sum instead: tests/data/nct_grid_ncp40.py.
dfs <- c(1, 2, 3, 5, 10, 29, 30, 100, 1000, 1e4, 1e5)
ncps <- c(0, 0.5, 1, 2, 5, 8.2, 10, 20)
q_fixed <- c(-50, -8, -3, -1, 0, 0.5, 2, 5, 15, 60)
f <- function(x) sprintf("%.17g", x)
cat("q,df,ncp,lower,upper,warned\n")
for (df in dfs) for (ncp in ncps) {
  qs <- sort(unique(c(q_fixed, ncp + c(-4, -1.5, 0, 1.5, 4))))
  for (q in qs) {
    warned <- 0
    lo <- withCallingHandlers(pt(q, df, ncp),
      warning = function(w) { warned <<- 1; invokeRestart("muffleWarning") })
    up <- withCallingHandlers(pt(q, df, ncp, lower.tail = FALSE),
      warning = function(w) { warned <<- 1; invokeRestart("muffleWarning") })
    cat(f(q), f(df), f(ncp), f(lo), f(up), warned, sep = ","); cat("\n")
  }
}
