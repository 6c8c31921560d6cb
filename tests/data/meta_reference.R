# Expected values for tests/reference.rs (meta-analysis core), from metafor, never from Lantern.
# Run: cd tests/data && Rscript meta_reference.R   (writes meta_reference.json)
suppressPackageStartupMessages(library(metafor))

sets <- list(
  heterogeneous_k5 = list(yi = c(0.10, 0.45, -0.20, 0.80, 0.30), sei = c(0.12, 0.20, 0.15, 0.25, 0.10)),
  homogeneous_k4   = list(yi = c(0.20, 0.22, 0.18, 0.21), sei = c(0.10, 0.15, 0.12, 0.20)),
  k2_heterogeneous = list(yi = c(-0.50, 0.60), sei = c(0.15, 0.20)),
  k2_homogeneous   = list(yi = c(0.10, 0.15), sei = c(0.20, 0.30)),
  k10 = list(yi = c(-0.31, -0.12, -0.45, 0.05, -0.60, -0.25, -0.02, -0.38, -0.70, -0.15),
             sei = c(0.14, 0.22, 0.18, 0.30, 0.25, 0.11, 0.35, 0.16, 0.28, 0.20)),
  dominant_site    = list(yi = c(0.30, -0.40, 0.90, 0.10), sei = c(0.005, 0.30, 0.35, 0.25)),
  large_scale      = list(yi = c(1200, 1500, 900, 1750), sei = c(150, 200, 120, 300)),
  small_scale      = list(yi = c(2e-4, 5e-4, -1e-4, 3e-4), sei = c(5e-5, 1e-4, 8e-5, 6e-5)),
  mixed_sei        = list(yi = c(0.20, 1.50, -0.30, 0.45), sei = c(0.02, 3.00, 0.40, 0.08)),
  near_boundary    = list(yi = c(0.10, 0.32, 0.05, 0.25, 0.18), sei = c(0.10, 0.12, 0.09, 0.11, 0.10)),
  identical_yi     = list(yi = c(0.40, 0.40, 0.40), sei = c(0.10, 0.20, 0.30)),
  p14_log_rr       = list(yi = c(0.5725191927713306, -0.49727265736128723, 0.2525907526405108),
                          sei = c(0.2984586890636442, 0.23625825639054507, 0.352487446740262)),
  p14_change_control = list(yi = c(0.07948717948717944, -0.15961538461538463, 0.021428571428571463),
                            sei = c(0.11967000776367369, 0.10429175109658467, 0.14386548895257895))
)

# threshold 1e-12 on the change in tau2, scaled down for sets whose sei are far below 1 (small_scale:
# an absolute 1e-12 would stop ~1e-6 relative short of the optimum there).
ctrl_for <- function(sei) list(threshold = 1e-12 * min(1, median(sei)^2), maxiter = 10000)
num <- function(x) if (is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
obj <- function(...) {
  a <- list(...)
  paste0("{", paste(sprintf("\"%s\": %s", names(a), unlist(a)), collapse = ", "), "}")
}
fit_reml <- function(yi, sei, ...) {
  ctrl <- ctrl_for(sei)
  tryCatch(rma(yi, sei = sei, method = "REML", control = ctrl, ...),
           error = function(e) rma(yi, sei = sei, method = "REML", control = c(ctrl, list(stepadj = 0.25)), ...))
}

out <- character(0)
for (nm in names(sets)) {
  s <- sets[[nm]]; yi <- s$yi; sei <- s$sei; k <- length(yi)
  fe <- rma(yi, sei = sei, method = "FE")
  dl <- rma(yi, sei = sei, method = "DL")
  re <- fit_reml(yi, sei)
  hk <- fit_reml(yi, sei, test = "knha")
  pr <- predict(re)
  qe <- fe$QE
  i2 <- if (qe > 0) max(0, (qe - (k - 1)) / qe) else 0
  rec <- obj(
    yi = paste0("[", paste(sprintf("%.17g", yi), collapse = ", "), "]"),
    sei = paste0("[", paste(sprintf("%.17g", sei), collapse = ", "), "]"),
    k = k,
    fixed = obj(estimate = num(fe$b[1]), se = num(fe$se), ci_low = num(fe$ci.lb), ci_high = num(fe$ci.ub),
                z = num(fe$zval), p = num(fe$pval)),
    dl = obj(estimate = num(dl$b[1]), se = num(dl$se), ci_low = num(dl$ci.lb), ci_high = num(dl$ci.ub),
             z = num(dl$zval), p = num(dl$pval), tau2 = num(dl$tau2)),
    reml = obj(estimate = num(re$b[1]), se = num(re$se), ci_low = num(re$ci.lb), ci_high = num(re$ci.ub),
               z = num(re$zval), p = num(re$pval), tau2 = num(re$tau2), pi_low = num(pr$pi.lb), pi_high = num(pr$pi.ub)),
    reml_hk = obj(estimate = num(hk$b[1]), se = num(hk$se), ci_low = num(hk$ci.lb), ci_high = num(hk$ci.ub),
                  t = num(hk$zval), df = num(hk$ddf), p = num(hk$pval)),
    q = num(qe), q_df = k - 1, q_p = num(fe$QEp), i2 = num(i2),
    dl_QE_equal_fe = if (isTRUE(all.equal(dl$QE, fe$QE))) "true" else "false"
  )
  out <- c(out, sprintf("\"%s\": %s", nm, rec))
}
meta <- sprintf("\"_about\": \"metafor %s, %s; rma(yi, sei = sei, method = FE / DL / REML [+ test = knha], control = list(threshold = 1e-12 * min(1, median(sei)^2), maxiter = 10000)); predict(REML) for pi; i2 = max(0, (QE - (k - 1))/QE); null = not finite in R (e.g. t = Inf when all yi are equal)\"",
                packageVersion("metafor"), R.version.string)
writeLines(paste0("{\n", paste(c(meta, out), collapse = ",\n"), "\n}"), "meta_reference.json")
cat("wrote meta_reference.json with", length(out), "sets\n")
