# Reference for Lantern's drop-out sensitivity (results.tipping_point and, with the follow-up
# score as the outcome, results.tipping_point_followup; issue 20), written by R + mice (not by
# Lantern): missing post (or follow-up) scores imputed within arm by mice's own
# `mice.impute.norm` (Bayesian linear regression on the pre score, proper draws of beta and
# sigma), M = 100 imputations, the program arm's imputed scores made worse by delta
# (pattern-mixture delta-adjustment, added after imputation), each completed data set analysed by
# least squares post ~ 1 + arm + pre (two arms) or post - pre ~ 1 (one group) by R's QR (lm.fit),
# pooled by mice::pool.scalar (Rubin's rules, Barnard-Rubin df with dfcom = n - k, as mice::pool
# does for lm fits); interval and p from its qbar, t and df. Repeated over 30 seeds: the fixture records, for each delta,
# the mean and the SD over seeds of every pooled quantity (the Monte-Carlo error of one run of
# M = 100), and every seed's tipping delta (the first delta whose interval no longer excludes 0
# on the program's side; null when even delta = 0 does not). Lantern uses a different generator, so it is compared within that MC
# error (tests/native/tipping_reference.rs).
#
# Run from the repository root: Rscript tests/data/tipping.R > tests/data/tipping_reference.json
# (about a minute).
suppressPackageStartupMessages({ library(mice); library(jsonlite) })

M <- 100
SEEDS <- 1:30
ALPHA <- 0.05

run_case <- function(id, csv, pre, post, group, levels, lower_is_better, step, range, outcome = "post") {
  d <- read.csv(file.path("tests/reference/analysis", csv), stringsAsFactors = FALSE)
  if (is.null(group)) {
    d$arm <- "all"
  } else {
    d$arm <- ifelse(d[[group]] == levels[1], "intervention",
                    ifelse(d[[group]] == levels[2], "control", NA))
  }
  d <- d[!is.na(d$arm) & !is.na(d[[pre]]), ]
  d$pre <- d[[pre]]
  d$post <- d[[post]]
  two_arm <- !is.null(group)
  shifted <- if (two_arm) "intervention" else "all"
  sgn <- if (lower_is_better) 1 else -1
  miss <- is.na(d$post)
  deltas <- round(seq(0, range, by = step), 9)
  per_seed <- list()
  for (s in SEEDS) {
    set.seed(s)
    completed <- vector("list", M)
    for (m in seq_len(M)) {
      y <- d$post
      for (a in unique(d$arm)) {
        idx <- which(d$arm == a)
        ry <- !is.na(y[idx])
        if (all(ry)) next
        y[idx][!ry] <- mice.impute.norm(y[idx], ry, cbind(pre = d$pre[idx]))
      }
      completed[[m]] <- y
    }
    rows <- list()
    tip <- NA
    for (i in seq_along(deltas)) {
      delta <- deltas[i]
      qu <- sapply(completed, function(y) {
        yy <- y + ifelse(miss & d$arm == shifted, sgn * delta, 0)
        X <- if (two_arm) cbind(1, as.numeric(d$arm == "intervention"), d$pre) else matrix(1, nrow(d), 1)
        if (!two_arm) yy <- yy - d$pre
        f <- lm.fit(X, yy)
        j <- if (two_arm) 2 else 1
        v <- sum(f$residuals^2) / f$df.residual * chol2inv(f$qr$qr[seq_len(ncol(X)), seq_len(ncol(X)), drop = FALSE])
        c(f$coefficients[j], v[j, j])
      })
      k <- if (two_arm) 3 else 1
      pl <- pool.scalar(qu[1, ], qu[2, ], n = nrow(d), k = k)
      se <- sqrt(pl$t)
      qt_ <- qt(1 - ALPHA / 2, pl$df)
      r <- list(estimate = pl$qbar, std.error = se, df = pl$df, p.value = 2 * pt(abs(pl$qbar / se), pl$df, lower.tail = FALSE))
      r[["2.5 %"]] <- pl$qbar - qt_ * se
      r[["97.5 %"]] <- pl$qbar + qt_ * se
      if (s == SEEDS[1] && i == 1) {
        # Once per case: the same pooled numbers from mice::pool on lm fits (its own path).
        fits <- lapply(completed, function(y) {
          if (two_arm) { g <- as.numeric(d$arm == "intervention"); pre <- d$pre; lm(y ~ g + pre) }
          else { ch <- y - d$pre; lm(ch ~ 1) }
        })
        ps <- summary(pool(as.mira(fits)), conf.int = TRUE)[if (two_arm) 2 else 1, ]
        stopifnot(abs(ps$estimate - r$estimate) < 1e-10, abs(ps$std.error - r$std.error) < 1e-10,
                  abs(ps$df - r$df) < 1e-8, abs(ps[["2.5 %"]] - r[["2.5 %"]]) < 1e-8)
      }
      clear <- if (lower_is_better) r[["97.5 %"]] < 0 else r[["2.5 %"]] > 0
      rows[[i]] <- c(delta = delta, estimate = r$estimate, se = r$std.error, df = r$df,
                     ci_low = r[["2.5 %"]], ci_high = r[["97.5 %"]], p = r$p.value)
      if (i == 1 && !clear) break
      if (!clear && is.na(tip)) tip <- delta
      if (!is.na(tip) && delta >= tip + 5 * step - 1e-9) break
    }
    per_seed[[length(per_seed) + 1]] <- list(rows = do.call(rbind, rows), tip = tip)
  }
  nrow_min <- min(sapply(per_seed, function(p) nrow(p$rows)))
  stat <- function(k, f) sapply(seq_len(nrow_min), function(i) f(sapply(per_seed, function(p) p$rows[i, k])))
  table <- lapply(c("estimate", "se", "df", "ci_low", "ci_high", "p"), function(k)
    list(mean = I(stat(k, mean)), mc_sd = I(stat(k, sd))))
  names(table) <- c("estimate", "se", "df", "ci_low", "ci_high", "p")
  list(
    id = id, outcome = outcome, two_arm = two_arm, imputations = M, seeds = length(SEEDS), step = step, range = range,
    n = nrow(d), imputed = as.list(tapply(miss, d$arm, sum)),
    delta = I(deltas[seq_len(nrow_min)]), table = table,
    tipping_delta_by_seed = sapply(per_seed, function(p) p$tip)
  )
}

out <- list(
  generated_by = paste("tests/data/tipping.R;", R.version.string, "; mice", packageVersion("mice")),
  alpha = ALPHA,
  cases = list(
    run_case("p12_trial_n160_waves", "p12_trial_n160_waves.csv", "stigma_pre", "stigma_post",
             "group", c("intervention", "control"), TRUE, 0.1, 4),
    run_case("p13_single_group_n70_waves", "p13_single_group_n70_waves.csv", "score_t0", "score_t1",
             NULL, NULL, TRUE, 2, 100),
    # The follow-up score as the outcome (results.tipping_point_followup): the same method with
    # the follow-up column in place of the post column (imputed from pre within arm).
    run_case("p12_trial_n160_waves", "p12_trial_n160_waves.csv", "stigma_pre", "stigma_fu6m",
             "group", c("intervention", "control"), TRUE, 0.1, 4, outcome = "followup"),
    run_case("p13_single_group_n70_waves", "p13_single_group_n70_waves.csv", "score_t0", "score_t2",
             NULL, NULL, TRUE, 2, 100, outcome = "followup")
  )
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
