# Reference values for Lantern's intraclass correlation ICC(1) (src/core/stats/icc.rs):
# one-way random-effects ANOVA with unbalanced clusters, as R's ICC::ICCest(x, y) with its
# default CI.type = "THD" (Searle's F-based interval using n0).
# Run: Rscript tests/data/icc_reference.R > tests/data/icc_reference.json
# (R 4.2.2, base R only: the ICC package is not installed, so ICCest's computation is written
# out below from its source and checked against the formula in the issue.)
# Checked by tests/native/icc_reference.rs (relative tolerance 1e-9).

options(digits = 17)

# ICC(1) by hand: the ANOVA from aov(), n0 from the cluster sizes, the interval from qf().
icc1 <- function(y, cluster, alpha = 0.05) {
  x <- factor(cluster)
  tab <- anova(aov(y ~ x))
  df_between <- tab$Df[1]
  df_within <- tab$Df[2]
  msb <- tab$"Mean Sq"[1]
  msw <- tab$"Mean Sq"[2]
  sizes <- as.numeric(table(x))
  J <- length(sizes)
  N <- sum(sizes)
  n0 <- (N - sum(sizes^2) / N) / (J - 1)
  icc <- (msb - msw) / (msb + (n0 - 1) * msw)
  F <- msb / msw
  FL <- F / qf(1 - alpha / 2, J - 1, N - J)
  FU <- F / qf(alpha / 2, J - 1, N - J)
  list(icc = icc, ci_low = (FL - 1) / (FL + n0 - 1), ci_high = (FU - 1) / (FU + n0 - 1),
       msb = msb, msw = msw, n0 = n0, f = F, n_clusters = J, n_people = N,
       mean_cluster_size = N / J, df_between = df_between, df_within = df_within)
}

# ICC::ICCest (ICC 2.4.0), CI.type = "THD", written out from its source.
iccest_thd <- function(x, y, alpha = 0.05) {
  tdata <- data.frame(x = factor(x), y = y)
  a <- length(unique(tdata$x))
  tmpbb <- anova(aov(y ~ x, data = tdata))
  num.df <- tmpbb$Df[1]
  denom.df <- tmpbb$Df[2]
  MSa <- tmpbb$"Mean Sq"[1]
  MSw <- var.w <- tmpbb$"Mean Sq"[2]
  tmp.outj <- aggregate(y ~ x, data = tdata, FUN = length)$y
  k <- (1 / (a - 1)) * (sum(tmp.outj) - (sum(tmp.outj^2) / sum(tmp.outj)))
  var.a <- (MSa - MSw) / k
  r <- var.a / (var.w + var.a)
  low.F <- qf(alpha / 2, num.df, denom.df, lower.tail = FALSE)
  N <- nrow(tdata)
  n.bar <- N / a
  n.not <- n.bar - sum((tmp.outj - n.bar)^2 / ((a - 1) * N))
  up.F <- qf(alpha / 2, denom.df, num.df, lower.tail = FALSE)
  FL <- (MSa / MSw) / low.F
  FU <- (MSa / MSw) * up.F
  list(ICC = r, LowerCI = (FL - 1) / (FL + n.not - 1), UpperCI = (FU - 1) / (FU + n.not - 1))
}

# Simulated scores: cluster effect with variance icc, person effect with variance 1 - icc,
# on a 0-40 scale, rounded to 2 decimals (or to whole numbers for a sum of Likert items).
simulate <- function(prefix, sizes, icc, mean = 20, sd = 6, digits = 2) {
  J <- length(sizes)
  u <- rnorm(J, 0, sqrt(icc))
  cluster <- rep(sprintf("%s%02d", prefix, seq_len(J)), sizes)
  z <- rep(u, sizes) + rnorm(sum(sizes), 0, sqrt(1 - icc))
  y <- round(pmin(40, pmax(0, mean + sd * z)), digits)
  # Shuffle the rows so clusters are not contiguous (the estimator must not rely on order).
  o <- sample.int(length(y))
  list(cluster = cluster[o], y = y[o])
}

set.seed(20240611)
datasets <- list()
d <- simulate("S", sizes = c(14, 22, 9, 31, 17, 12, 25, 8, 19, 27, 11, 16), icc = 0.08)
datasets[["schools_moderate"]] <- list(data = d, alpha = 0.05, note = "12 schools of 8 to 31, true ICC 0.08")
d <- simulate("C", sizes = c(6, 11, 4, 9, 12, 7, 5, 10, 8, 3, 12, 6, 9, 4, 7), icc = 0)
datasets[["classes_near_zero"]] <- list(data = d, alpha = 0.05, note = "15 classes of 3 to 12, true ICC 0: the estimate is negative")
d <- simulate("T", sizes = c(2, 5, 40, 9, 3, 17), icc = 0.3)
datasets[["sites_very_unbalanced"]] <- list(data = d, alpha = 0.05, note = "6 sites of 2 to 40, true ICC 0.3")
d <- simulate("G", sizes = c(1, 6, 3, 1, 8, 5, 2, 4), icc = 0.15, digits = 0)
datasets[["groups_with_singletons_90"]] <- list(data = d, alpha = 0.10, note = "8 groups including two of 1 person, whole-number scores, 90% interval")

# 17 significant digits, so the doubles read back exactly.
num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
str <- function(v) paste(sprintf("\"%s\"", v), collapse = ", ")

cat("{\n")
cat(sprintf("  \"generated_by\": \"Rscript tests/data/icc_reference.R (%s)\",\n", R.version.string))
cat("  \"datasets\": [\n")
for (i in seq_along(datasets)) {
  name <- names(datasets)[i]
  ds <- datasets[[i]]
  e <- icc1(ds$data$y, ds$data$cluster, ds$alpha)
  chk <- iccest_thd(ds$data$cluster, ds$data$y, ds$alpha)
  stopifnot(abs(chk$ICC - e$icc) < 1e-12, abs(chk$LowerCI - e$ci_low) < 1e-12,
            abs(chk$UpperCI - e$ci_high) < 1e-12)
  if (name == "classes_near_zero") stopifnot(e$icc < 0)
  cat("    {\n")
  cat(sprintf("      \"name\": \"%s\",\n      \"note\": \"%s\",\n      \"alpha\": %s,\n", name, ds$note, num(ds$alpha)))
  cat(sprintf("      \"cluster\": [%s],\n", str(ds$data$cluster)))
  cat(sprintf("      \"y\": [%s],\n", num(ds$data$y)))
  cat("      \"expected\": {\n")
  keys <- names(e)
  for (k in seq_along(keys)) {
    cat(sprintf("        \"%s\": %s%s\n", keys[k], num(e[[k]]), if (k < length(keys)) "," else ""))
  }
  cat("      }\n")
  cat(sprintf("    }%s\n", if (i < length(datasets)) "," else ""))
}
cat("  ]\n}\n")
